package io.visca.gateway.fakes;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A fake OpenAI-compatible model server (as OpenAI, vLLM, TGI's /v1, LocalAI, LM Studio speak it), in-process on a
 * free loopback port: {@code GET /v1/models}, {@code GET /v1/models/{id}}, {@code POST /v1/chat/completions}
 * (streaming as SSE {@code data: ...} chunks ending with {@code data: [DONE]}, usage when
 * {@code stream_options.include_usage}, tool calls as {@code tool_calls}), {@code POST /v1/completions} (streaming
 * as {@code text_completion} chunks), {@code POST /v1/embeddings}, {@code GET /health} at the server's root only (as
 * vLLM serves it: {@code /v1/health} is a 404), and OpenAI's error bodies
 * ({@code {"error":{"message","type","param","code"}}}). Deterministic: the reply to a chat is
 * {@link #reply(String)}, and usage counts words.
 */
public final class FakeOpenAiServer extends FakeUpstream<FakeOpenAiServer> {

    private volatile boolean rejectStreamOptions;

    private FakeOpenAiServer() {
        super("gpt-4o-mini");
    }

    /** Starts on a free loopback port with its own Vert.x instance. */
    public static FakeOpenAiServer start() {
        return start(0);
    }

    /** Starts on the given port (0 for a free one). */
    public static FakeOpenAiServer start(int port) {
        return new FakeOpenAiServer().listen(port);
    }

    /**
     * Only this bearer key is accepted ({@code Authorization: Bearer key}); any other gets OpenAI's 401
     * {@code invalid_api_key}. Null accepts any.
     */
    @Override
    public FakeOpenAiServer requireApiKey(String key) {
        return super.requireApiKey(key);
    }

    /**
     * When true, a request that carries {@code stream_options} gets a 400 OpenAI error, as some OpenAI-compatible
     * servers answer it.
     */
    public FakeOpenAiServer rejectStreamOptions(boolean value) {
        this.rejectStreamOptions = value;
        return this;
    }

    /** The base URL a provider config names, with the {@code /v1} prefix. */
    @Override
    public String baseUrl() {
        return root() + "/v1";
    }

    @Override
    protected boolean isProbe(String method, String path) {
        return "/health".equals(path);
    }

    @Override
    protected boolean failureApplies(String method, String path) {
        return path.startsWith("/v1/") && !"/v1/models".equals(path);
    }

    @Override
    protected void unauthorized(HttpServerResponse res, String header, String value) {
        if (value == null && "authorization".equals(header)) {
            error(res, 401, errorBody("You didn't provide an API key. You need to provide your API key in an "
                    + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the "
                    + "password field (with blank username) if you're accessing the API from your browser and are "
                    + "prompted for a username and password. You can obtain an API key from "
                    + "https://platform.openai.com/account/api-keys.", "invalid_request_error", null));
        } else {
            error(res, 401, errorBody("Incorrect API key provided. You can find your API key at "
                    + "https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"));
        }
    }

    @Override
    protected String defaultErrorBody(int status) {
        return switch (status) {
            case 400 -> errorBody("Invalid request.", "invalid_request_error", null);
            case 401 -> errorBody("Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
            case 403 -> errorBody("You are not allowed to sample from this model", "invalid_request_error", null);
            case 404 -> errorBody("The model does not exist or you do not have access to it.",
                    "invalid_request_error", "model_not_found");
            case 429 -> errorBody("Rate limit reached for requests. Please try again in 1s.", "requests",
                    "rate_limit_exceeded");
            case 503 -> errorBody("The engine is currently overloaded, please try again later", "server_error",
                    null);
            default -> errorBody("The server had an error while processing your request. Sorry about that!",
                    "server_error", null);
        };
    }

    @Override
    protected void badJson(HttpServerResponse res) {
        error(res, 400, errorBody("We could not parse the JSON body of your request. (HINT: This likely means you "
                + "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent "
                + "was not valid JSON.)", "invalid_request_error", null));
    }

    @Override
    protected void route(HttpServerRequest req, String body) throws JsonProcessingException {
        HttpServerResponse res = req.response();
        String path = req.path();
        if (isProbe(req.method().name(), path)) {
            res.setStatusCode(failing() ? 503 : 200).end();
            return;
        }
        switch (req.method().name() + " " + path) {
            case "GET /v1/models" -> listModels(res);
            case "POST /v1/chat/completions" -> chat(req, parse(body));
            case "POST /v1/completions" -> completion(req, parse(body));
            case "POST /v1/embeddings" -> embeddings(res, parse(body));
            default -> {
                if ("GET".equals(req.method().name()) && path.startsWith("/v1/models/")) {
                    model(res, path.substring("/v1/models/".length()));
                } else {
                    error(res, 404, errorBody("Invalid URL (" + req.method() + " " + path + ")",
                            "invalid_request_error", null));
                }
            }
        }
    }

    private void listModels(HttpServerResponse res) {
        ObjectNode out = JSON.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (String id : models()) {
            data.add(modelNode(id));
        }
        json(res, 200, out);
    }

    private void model(HttpServerResponse res, String id) {
        if (models().contains(id)) {
            json(res, 200, modelNode(id));
        } else {
            error(res, 404, errorBody("The model '" + id + "' does not exist", "invalid_request_error",
                    "model_not_found"));
        }
    }

    private static ObjectNode modelNode(String id) {
        return JSON.createObjectNode().put("id", id).put("object", "model").put("created", 1_700_000_000L)
                .put("owned_by", "fake");
    }

    private void chat(HttpServerRequest req, JsonNode request) {
        HttpServerResponse res = req.response();
        String model = request.path("model").asText("");
        if (model.isEmpty() || request.path("messages").isEmpty()) {
            error(res, 400, errorBody(model.isEmpty() ? "you must provide a model parameter"
                    : "[] is too short - 'messages'", "invalid_request_error", null));
            return;
        }
        if (rejectStreamOptions && request.has("stream_options")) {
            error(res, 400, errorBody("Unrecognized request argument supplied: stream_options",
                    "invalid_request_error", null));
            return;
        }
        if (!models().contains(model)) {
            error(res, 404, errorBody("The model `" + model + "` does not exist or you do not have access to it.",
                    "invalid_request_error", "model_not_found"));
            return;
        }
        long promptTokens = 0;
        for (JsonNode m : request.path("messages")) {
            promptTokens += words(text(m.path("content"))) + 3;
        }
        Generation gen = generate(maxTokens(request), strings(request.path("stop")), false);
        ToolCall call = toolCallFor(request);
        long completionTokens = call != null ? call.tokens() : gen.tokens();
        ObjectNode usage = usage(promptTokens, completionTokens);
        String id = "chatcmpl-fake" + nextId();
        if (request.path("stream").asBoolean(false)) {
            boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
            ChatStream.write(stream(req, "text/event-stream"), id, model, gen, call, includeUsage ? usage : null);
            return;
        }
        ObjectNode out = JSON.createObjectNode().put("id", id).put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", model);
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (call != null) {
            message.putNull("content");
            message.putArray("tool_calls").add(toolCallNode(call, "call_fake" + nextId()));
        } else {
            message.put("content", gen.text());
        }
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", call != null ? "tool_calls" : finishReason(gen));
        out.set("usage", usage);
        out.put("system_fingerprint", "fp_fake");
        json(res, 200, out);
    }

    static ObjectNode toolCallNode(ToolCall call, String id) {
        ObjectNode node = JSON.createObjectNode().put("id", id).put("type", "function");
        node.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
        return node;
    }

    static String finishReason(Generation gen) {
        return gen.finish() == Finish.LENGTH ? "length" : "stop";
    }

    private static long maxTokens(JsonNode request) {
        JsonNode max = request.has("max_completion_tokens") ? request.path("max_completion_tokens")
                : request.path("max_tokens");
        return max.canConvertToLong() ? max.asLong() : 0;
    }

    private void completion(HttpServerRequest req, JsonNode request) {
        String model = request.path("model").asText("");
        Generation gen = generate(maxTokens(request), strings(request.path("stop")), false);
        String id = "cmpl-fake" + nextId();
        ObjectNode usage = usage(words(text(request.path("prompt"))), gen.tokens());
        if (request.path("stream").asBoolean(false)) {
            completionStream(stream(req, "text/event-stream"), id, model, gen,
                    request.path("stream_options").path("include_usage").asBoolean(false) ? usage : null);
            return;
        }
        ObjectNode out = completionChunk(id, model);
        out.putArray("choices").addObject().put("text", gen.text()).put("index", 0).putNull("logprobs")
                .put("finish_reason", finishReason(gen));
        out.set("usage", usage);
        json(req.response(), 200, out);
    }

    /** OpenAI's text completion stream: one chunk per token, the finish reason, the usage if asked, [DONE]. */
    private static void completionStream(EventStream out, String id, String model, Generation gen, ObjectNode usage) {
        for (String piece : gen.pieces()) {
            ObjectNode chunk = completionChunk(id, model);
            chunk.putArray("choices").addObject().put("text", piece).put("index", 0).putNull("logprobs")
                    .putNull("finish_reason");
            out.send(EventStream.sse(chunk.toString()));
        }
        ObjectNode last = completionChunk(id, model);
        last.putArray("choices").addObject().put("text", "").put("index", 0).putNull("logprobs")
                .put("finish_reason", finishReason(gen));
        out.send(EventStream.sse(last.toString()));
        if (usage != null) {
            ObjectNode chunk = completionChunk(id, model);
            chunk.putArray("choices");
            chunk.set("usage", usage);
            out.send(EventStream.sse(chunk.toString()));
        }
        out.end(EventStream.sse("[DONE]"));
    }

    private static ObjectNode completionChunk(String id, String model) {
        return JSON.createObjectNode().put("id", id).put("object", "text_completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", model);
    }

    private void embeddings(HttpServerResponse res, JsonNode request) {
        JsonNode input = request.path("input");
        List<String> inputs = input.isArray() ? strings(input) : new ArrayList<>(List.of(input.asText()));
        ObjectNode out = JSON.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        long tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            embed(item.putArray("embedding"), inputs.get(i));
            tokens += words(inputs.get(i));
        }
        out.put("model", request.path("model").asText(""));
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        json(res, 200, out);
    }

    /** OpenAI's usage object; with {@code prompt_tokens_details.cached_tokens} when cached tokens are set. */
    private ObjectNode usage(long prompt, long completion) {
        ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        if (cachedTokens() > 0) {
            usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens());
        }
        return usage;
    }

    static String errorBody(String message, String type, String code) {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
        return error.toString();
    }
}
