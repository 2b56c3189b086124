package io.visca.gateway.fakes;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A fake Ollama server, in-process on a free loopback port: {@code GET /} ("Ollama is running"),
 * {@code GET /api/version}, {@code GET /api/tags}, {@code POST /api/show}, {@code POST /api/chat} and
 * {@code POST /api/generate} (streaming NDJSON by default, as Ollama does when {@code stream} is absent: one
 * {@code "done":false} object per token, then a {@code "done":true} object with {@code done_reason} and the
 * durations and counts; {@code options.num_predict} limits the tokens, {@code options.stop} stops them; tool calls as
 * {@code message.tool_calls} with arguments as an object), {@code POST /api/embed} and the older
 * {@code POST /api/embeddings}. Errors are Ollama's {@code {"error":"..."}}. Model names without a tag mean
 * {@code :latest}, as in Ollama.
 */
public final class FakeOllamaServer extends FakeUpstream<FakeOllamaServer> {

    private FakeOllamaServer() {
        super("llama3:8b");
    }

    /** Starts on a free loopback port with its own Vert.x instance. */
    public static FakeOllamaServer start() {
        return start(0);
    }

    /** Starts on the given port (0 for a free one). */
    public static FakeOllamaServer start(int port) {
        return new FakeOllamaServer().listen(port);
    }

    /** {@code http://127.0.0.1:PORT} (Ollama's API is under {@code /api}). */
    @Override
    public String baseUrl() {
        return root();
    }

    @Override
    protected boolean isProbe(String method, String path) {
        return ("GET".equals(method) || "HEAD".equals(method)) && ("/".equals(path) || "/api/version".equals(path));
    }

    @Override
    protected void unauthorized(HttpServerResponse res, String header, String value) {
        error(res, 401, errorBody("unauthorized"));
    }

    @Override
    protected String defaultErrorBody(int status) {
        return errorBody(switch (status) {
            case 404 -> "model not found";
            case 500 -> "llama runner process has terminated: exit status 2";
            case 503 -> "server busy, please try again.  maximum pending requests exceeded";
            default -> reason(status).toLowerCase(Locale.ROOT);
        });
    }

    @Override
    protected void badJson(HttpServerResponse res) {
        error(res, 400, errorBody("invalid character looking for beginning of value"));
    }

    @Override
    protected void route(HttpServerRequest req, String body) throws JsonProcessingException {
        HttpServerResponse res = req.response();
        String method = req.method().name();
        switch (method + " " + req.path()) {
            case "GET /", "HEAD /" -> {
                if (failing()) {
                    res.setStatusCode(503).end();
                } else {
                    send(res, 200, "text/plain; charset=utf-8", "HEAD".equals(method) ? "" : "Ollama is running");
                }
            }
            case "GET /api/version" -> json(res, 200, JSON.createObjectNode().put("version", "0.9.0"));
            case "GET /api/tags" -> tags(res);
            case "POST /api/show" -> show(res, parse(body));
            case "POST /api/chat" -> generation(req, parse(body), true);
            case "POST /api/generate" -> generation(req, parse(body), false);
            case "POST /api/embed" -> embed(res, parse(body), false);
            case "POST /api/embeddings" -> embed(res, parse(body), true);
            default -> send(res, 404, "text/plain", "404 page not found");
        }
    }

    private static String tagged(String model) {
        return model.contains(":") ? model : model + ":latest";
    }

    private boolean known(String model) {
        return models().stream().anyMatch(m -> tagged(m).equals(tagged(model)));
    }

    /** Checks the model; answers Ollama's error and returns null when it is missing or unknown. */
    private String model(HttpServerResponse res, JsonNode request) {
        String model = request.path("model").asText(request.path("name").asText(""));
        if (model.isEmpty()) {
            error(res, 400, errorBody("model is required"));
            return null;
        }
        if (!known(model)) {
            error(res, 404, errorBody("model \"" + model + "\" not found, try pulling it first"));
            return null;
        }
        return model;
    }

    private void generation(HttpServerRequest req, JsonNode request, boolean chat) {
        HttpServerResponse res = req.response();
        String model = model(res, request);
        if (model == null) {
            return;
        }
        long promptTokens = words(text(request.path("system")));
        for (JsonNode m : request.path("messages")) {
            promptTokens += words(text(m.path("content")));
        }
        promptTokens += words(request.path("prompt").asText(""));
        if (chat ? request.path("messages").isEmpty() : request.path("prompt").asText("").isEmpty()) {
            // Ollama just loads the model
            ObjectNode load = head(model);
            content(load, chat, "");
            json(res, 200, load.put("done_reason", "load").put("done", true));
            return;
        }
        JsonNode options = request.path("options");
        Generation gen = generate(options.path("num_predict").asLong(0), strings(options.path("stop")), false);
        ToolCall call = chat ? toolCallFor(request) : null;
        long evalCount = call != null ? call.tokens() : gen.tokens();
        boolean streaming = request.path("stream").asBoolean(true);
        ObjectNode last = head(model);
        ObjectNode message = content(last, chat, streaming || call != null ? "" : gen.text());
        if (call != null && !streaming) {
            toolCalls(message, call);
        }
        last.put("done_reason", gen.finish() == Finish.LENGTH && call == null ? "length" : "stop").put("done", true);
        if (!chat) {
            ArrayNode context = last.putArray("context");
            for (long i = 0; i < promptTokens + evalCount; i++) {
                context.add(128_000 + i);
            }
        }
        long promptNanos = promptTokens * 100_000L;
        long evalNanos = evalCount * 1_000_000L;
        last.put("total_duration", 1_000_000L + promptNanos + evalNanos + 100_000L).put("load_duration", 1_000_000L)
                .put("prompt_eval_count", promptTokens).put("prompt_eval_duration", promptNanos)
                .put("eval_count", evalCount).put("eval_duration", evalNanos);
        if (!streaming) {
            json(res, 200, last);
            return;
        }
        EventStream out = stream(req, "application/x-ndjson");
        if (call != null) {
            ObjectNode chunk = head(model);
            toolCalls(content(chunk, true, ""), call);
            out.send(chunk.put("done", false) + "\n");
        } else {
            for (String piece : gen.pieces()) {
                ObjectNode chunk = head(model);
                content(chunk, chat, piece);
                out.send(chunk.put("done", false) + "\n");
            }
        }
        out.end(last + "\n");
    }

    private static ObjectNode head(String model) {
        return JSON.createObjectNode().put("model", model).put("created_at", Instant.now().toString());
    }

    /** Puts the content: {@code message} for chat (returned), {@code response} for generate (returns null). */
    private static ObjectNode content(ObjectNode node, boolean chat, String text) {
        if (chat) {
            return node.putObject("message").put("role", "assistant").put("content", text);
        }
        node.put("response", text);
        return null;
    }

    private static void toolCalls(ObjectNode message, ToolCall call) {
        message.putArray("tool_calls").addObject().putObject("function").put("name", call.name())
                .set("arguments", call.arguments());
    }

    private void embed(HttpServerResponse res, JsonNode request, boolean legacy) {
        String model = model(res, request);
        if (model == null) {
            return;
        }
        if (legacy) {
            ObjectNode out = JSON.createObjectNode();
            embed(out.putArray("embedding"), request.path("prompt").asText(""));
            json(res, 200, out);
            return;
        }
        JsonNode input = request.path("input");
        List<String> inputs = input.isMissingNode() ? List.of() : strings(input);
        ObjectNode out = JSON.createObjectNode().put("model", model);
        ArrayNode embeddings = out.putArray("embeddings");
        long tokens = 0;
        for (String text : inputs) {
            embed(embeddings.addArray(), text);
            tokens += words(text);
        }
        out.put("total_duration", 1_000_000L + tokens * 100_000L).put("load_duration", 1_000_000L)
                .put("prompt_eval_count", tokens);
        json(res, 200, out);
    }

    private void tags(HttpServerResponse res) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("models");
        for (String m : models()) {
            ObjectNode model = list.addObject().put("name", tagged(m)).put("model", tagged(m))
                    .put("modified_at", "2025-01-01T00:00:00Z").put("size", 4_661_224_676L)
                    .put("digest", String.format("%064x", Math.abs((long) tagged(m).hashCode())));
            model.set("details", details());
        }
        json(res, 200, out);
    }

    private void show(HttpServerResponse res, JsonNode request) {
        String model = model(res, request);
        if (model == null) {
            return;
        }
        ObjectNode out = JSON.createObjectNode().put("modelfile", "FROM " + tagged(model))
                .put("parameters", "stop \"<|eot_id|>\"").put("template", "{{ .Prompt }}");
        out.set("details", details());
        out.putObject("model_info").put("general.architecture", "llama")
                .put("general.parameter_count", 8_030_261_248L).put("llama.context_length", 8192);
        out.putArray("capabilities").add("completion").add("tools");
        out.put("modified_at", "2025-01-01T00:00:00Z");
        json(res, 200, out);
    }

    private static ObjectNode details() {
        ObjectNode details = JSON.createObjectNode().put("parent_model", "").put("format", "gguf")
                .put("family", "llama");
        details.putArray("families").add("llama");
        return details.put("parameter_size", "8.0B").put("quantization_level", "Q4_0");
    }

    private static String errorBody(String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }
}
