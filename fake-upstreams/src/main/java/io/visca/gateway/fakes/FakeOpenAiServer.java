package io.visca.gateway.fakes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A fake OpenAI-compatible model server (as OpenAI, vLLM, TGI's /v1, LocalAI, LM Studio speak it), in-process on a
 * free loopback port. Answers with OpenAI's real JSON, SSE framing ({@code data: ...\n\n}, {@code data: [DONE]})
 * and error bodies. Deterministic: the reply to a chat is {@link #reply(String)}, and usage counts words.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final HttpServer server;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile String requiredKey;
    private volatile List<String> models = List.of("gpt-4o-mini");
    private volatile String reply = "Hello from the fake upstream.";
    private volatile int failStatus;
    private volatile String failBody;
    private volatile long delayMs;
    private volatile boolean recording = true;

    private FakeOpenAiServer(Vertx vertx, boolean ownsVertx, int port) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.server = vertx.createHttpServer().requestHandler(this::handle);
        await(server.listen(port, "127.0.0.1"));
    }

    /** Starts on a free loopback port with its own Vert.x instance. */
    public static FakeOpenAiServer start() {
        return new FakeOpenAiServer(Vertx.vertx(), true, 0);
    }

    /** Starts on the given port (0 for a free one). */
    public static FakeOpenAiServer start(int port) {
        return new FakeOpenAiServer(Vertx.vertx(), true, port);
    }

    /** Only this bearer key is accepted; any other gets OpenAI's 401 {@code invalid_api_key}. */
    public FakeOpenAiServer requireApiKey(String key) {
        this.requiredKey = key;
        return this;
    }

    public FakeOpenAiServer models(String... ids) {
        this.models = List.of(ids);
        return this;
    }

    public FakeOpenAiServer reply(String text) {
        this.reply = text;
        return this;
    }

    /** Every following model call fails with this status and OpenAI-shaped body (null body: a default one). */
    public FakeOpenAiServer failWith(int status, String body) {
        this.failBody = body;
        this.failStatus = status;
        return this;
    }

    public FakeOpenAiServer healthy() {
        this.failStatus = 0;
        return this;
    }

    /** Delay before the response head, in milliseconds. */
    public FakeOpenAiServer delay(long millis) {
        this.delayMs = millis;
        return this;
    }

    /** Turns request recording off (benchmarks). */
    public FakeOpenAiServer recording(boolean value) {
        this.recording = value;
        return this;
    }

    public int port() {
        return server.actualPort();
    }

    /** The base URL a provider config names, with the {@code /v1} prefix. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public List<RecordedRequest> requests() {
        return new ArrayList<>(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        await(server.close());
        if (ownsVertx) {
            await(vertx.close());
        }
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            String text = body.toString();
            if (recording) {
                Map<String, String> headers = new HashMap<>();
                req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
                requests.add(new RecordedRequest(req.method().name(), req.path(), Map.copyOf(headers), text));
            }
            if (delayMs > 0) {
                vertx.setTimer(delayMs, t -> route(req, text));
            } else {
                route(req, text);
            }
        });
    }

    private void route(HttpServerRequest req, String body) {
        HttpServerResponse res = req.response();
        String path = req.path();
        if ("/health".equals(path) || "/v1/health".equals(path)) {
            res.setStatusCode(failStatus == 0 ? 200 : 503).end();
            return;
        }
        if (!authorized(req)) {
            error(res, 401, "Incorrect API key provided. You can find your API key at "
                    + "https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key");
            return;
        }
        if (failStatus != 0 && path.startsWith("/v1/") && !"/v1/models".equals(path)) {
            String failure = failBody != null ? failBody
                    : errorBody("The server had an error while processing your request.", "server_error", null);
            res.setStatusCode(failStatus).putHeader("content-type", "application/json").end(failure);
            return;
        }
        try {
            switch (req.method().name() + " " + path) {
                case "GET /v1/models" -> listModels(res);
                case "POST /v1/chat/completions" -> chat(res, JSON.readTree(body.isEmpty() ? "{}" : body));
                case "POST /v1/completions" -> completion(res, JSON.readTree(body.isEmpty() ? "{}" : body));
                case "POST /v1/embeddings" -> embeddings(res, JSON.readTree(body.isEmpty() ? "{}" : body));
                default -> {
                    if (path.startsWith("/v1/models/")) {
                        model(res, path.substring("/v1/models/".length()));
                    } else {
                        error(res, 404, "Invalid URL (" + req.method() + " " + path + ")", "invalid_request_error",
                                null);
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            error(res, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
        }
    }

    private boolean authorized(HttpServerRequest req) {
        String key = requiredKey;
        return key == null || ("Bearer " + key).equals(req.getHeader("authorization"));
    }

    private void listModels(HttpServerResponse res) {
        ObjectNode out = JSON.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (String id : models) {
            data.add(modelNode(id));
        }
        json(res, 200, out);
    }

    private void model(HttpServerResponse res, String id) {
        if (models.contains(id)) {
            json(res, 200, modelNode(id));
        } else {
            error(res, 404, "The model '" + id + "' does not exist", "invalid_request_error", "model_not_found");
        }
    }

    private ObjectNode modelNode(String id) {
        return JSON.createObjectNode().put("id", id).put("object", "model").put("created", 1_700_000_000L)
                .put("owned_by", "fake");
    }

    private void chat(HttpServerResponse res, JsonNode request) {
        String model = request.path("model").asText("");
        if (model.isEmpty() || request.path("messages").size() == 0) {
            error(res, 400, model.isEmpty() ? "you must provide a model parameter"
                    : "[] is too short - 'messages'", "invalid_request_error", null);
            return;
        }
        if (!models.contains(model)) {
            error(res, 404, "The model `" + model + "` does not exist or you do not have access to it.",
                    "invalid_request_error", "model_not_found");
            return;
        }
        long promptTokens = countPromptTokens(request.path("messages"));
        String text = truncate(reply, request.path("max_tokens"));
        long completionTokens = words(text);
        String id = "chatcmpl-fake" + ids.incrementAndGet();
        if (request.path("stream").asBoolean(false)) {
            boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
            ChatStream.write(res, id, model, text, promptTokens, completionTokens, includeUsage);
            return;
        }
        ObjectNode out = JSON.createObjectNode().put("id", id).put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", model);
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text);
        choice.putNull("logprobs");
        choice.put("finish_reason", text.equals(reply) ? "stop" : "length");
        usage(out, promptTokens, completionTokens);
        json(res, 200, out);
    }

    private void completion(HttpServerResponse res, JsonNode request) {
        String model = request.path("model").asText("");
        String text = truncate(reply, request.path("max_tokens"));
        ObjectNode out = JSON.createObjectNode().put("id", "cmpl-fake" + ids.incrementAndGet())
                .put("object", "text_completion").put("created", System.currentTimeMillis() / 1000)
                .put("model", model);
        out.putArray("choices").addObject().put("text", text).put("index", 0).putNull("logprobs")
                .put("finish_reason", "stop");
        usage(out, words(request.path("prompt").asText("")), words(text));
        json(res, 200, out);
    }

    private void embeddings(HttpServerResponse res, JsonNode request) {
        JsonNode input = request.path("input");
        List<String> inputs = new ArrayList<>();
        if (input.isArray()) {
            input.forEach(i -> inputs.add(i.asText()));
        } else {
            inputs.add(input.asText());
        }
        ObjectNode out = JSON.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        long tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            ArrayNode vector = item.putArray("embedding");
            int hash = inputs.get(i).hashCode();
            for (int d = 0; d < 8; d++) {
                vector.add(((hash >> d) & 0xff) / 255.0);
            }
            tokens += words(inputs.get(i));
        }
        out.put("model", request.path("model").asText(""));
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        json(res, 200, out);
    }

    static void usage(ObjectNode out, long prompt, long completion) {
        out.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    private static long countPromptTokens(JsonNode messages) {
        long count = 0;
        for (JsonNode m : messages) {
            count += words(m.path("content").asText("")) + 3;
        }
        return count;
    }

    /** The fake's tokenizer: one token per whitespace-separated word. */
    public static long words(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    private static String truncate(String text, JsonNode maxTokens) {
        if (!maxTokens.canConvertToInt() || maxTokens.asInt() <= 0) {
            return text;
        }
        String[] parts = text.trim().split("\\s+");
        return parts.length <= maxTokens.asInt() ? text : String.join(" ", List.of(parts).subList(0, maxTokens.asInt()));
    }

    static void json(HttpServerResponse res, int status, JsonNode body) {
        res.setStatusCode(status).putHeader("content-type", "application/json").end(Buffer.buffer(body.toString()));
    }

    static String errorBody(String message, String type, String code) {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
        return error.toString();
    }

    private static void error(HttpServerResponse res, int status, String message, String type, String code) {
        res.setStatusCode(status).putHeader("content-type", "application/json").end(errorBody(message, type, code));
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake upstream: " + e.getMessage(), e);
        }
    }
}
