package io.visca.gateway.fakes;

import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A fake of Anthropic's Messages API, in-process on a free loopback port: {@code POST /v1/messages} (non-stream, and
 * SSE streams of {@code message_start}, {@code content_block_start}, {@code ping}, {@code content_block_delta}
 * ({@code text_delta}, {@code input_json_delta}), {@code content_block_stop}, {@code message_delta},
 * {@code message_stop}), {@code POST /v1/messages/count_tokens}, {@code GET /v1/models} and
 * {@code GET /v1/models/{id}}. Every call needs {@code anthropic-version} (400 without it) and, when required, the key
 * in {@code x-api-key}. Requests are validated as the real API does (required fields, no {@code system} role in
 * messages, {@code tool_result} blocks answering the previous message's {@code tool_use} blocks), and errors are
 * Anthropic's {@code {"type":"error","error":{"type","message"},"request_id"}}.
 */
public final class FakeAnthropicServer extends FakeUpstream<FakeAnthropicServer> {

    private FakeAnthropicServer() {
        super("claude-sonnet-4-5", "claude-haiku-4-5");
    }

    /** Starts on a free loopback port with its own Vert.x instance. */
    public static FakeAnthropicServer start() {
        return start(0);
    }

    /** Starts on the given port (0 for a free one). */
    public static FakeAnthropicServer start(int port) {
        return new FakeAnthropicServer().listen(port);
    }

    /** Requires the key in {@code x-api-key}, as Anthropic's clients send it; null accepts any. */
    @Override
    public FakeAnthropicServer requireApiKey(String key) {
        return requireHeader("x-api-key", key);
    }

    /** {@code http://127.0.0.1:PORT}, without {@code /v1} (as Anthropic's SDKs take their base URL). */
    @Override
    public String baseUrl() {
        return root();
    }

    @Override
    protected boolean isProbe(String method, String path) {
        return false;
    }

    @Override
    protected void unauthorized(HttpServerResponse res, String header, String value) {
        error(res, 401, errorBody("authentication_error",
                value == null ? header + " header is required" : "invalid " + header));
    }

    @Override
    protected String defaultErrorBody(int status) {
        return errorBody(errorType(status), switch (status) {
            case 400 -> "Invalid request";
            case 401 -> "invalid x-api-key";
            case 403 -> "Your API key does not have permission to use the specified resource.";
            case 404 -> "The requested resource could not be found.";
            case 413 -> "Request exceeds the maximum allowed number of bytes.";
            case 429 -> "Number of request tokens has exceeded your per-minute rate limit";
            case 529 -> "Overloaded";
            default -> "Internal server error";
        });
    }

    @Override
    protected void badJson(HttpServerResponse res) {
        error(res, 400, errorBody("invalid_request_error", "The request body is not valid JSON."));
    }

    @Override
    protected void route(HttpServerRequest req, String body) throws JsonProcessingException {
        HttpServerResponse res = req.response();
        String path = req.path();
        String call = req.method().name() + " " + path;
        if (!path.startsWith("/v1/")) {
            error(res, 404, errorBody("not_found_error", "Not Found"));
        } else if (req.getHeader("anthropic-version") == null) {
            error(res, 400, errorBody("invalid_request_error", "anthropic-version: header is required"));
        } else if ("POST /v1/messages".equals(call)) {
            messages(req, parse(body));
        } else if ("POST /v1/messages/count_tokens".equals(call)) {
            countTokens(res, parse(body));
        } else if ("GET /v1/models".equals(call)) {
            listModels(req);
        } else if (call.startsWith("GET /v1/models/")) {
            String id = path.substring("/v1/models/".length());
            if (models().contains(id)) {
                json(res, 200, modelNode(id));
            } else {
                error(res, 404, errorBody("not_found_error", "model: " + id));
            }
        } else {
            error(res, 404, errorBody("not_found_error", "Not Found"));
        }
    }

    private void messages(HttpServerRequest req, JsonNode request) {
        HttpServerResponse res = req.response();
        String invalid = AnthropicRequestRules.invalid(request, true);
        if (invalid != null) {
            error(res, 400, errorBody("invalid_request_error", invalid));
            return;
        }
        String model = request.path("model").asText();
        if (!models().contains(model)) {
            error(res, 404, errorBody("not_found_error", "model: " + model));
            return;
        }
        long inputTokens = inputTokens(request);
        Generation gen = generate(request.path("max_tokens").asLong(), strings(request.path("stop_sequences")),
                false);
        ToolCall call = toolCallFor(request);
        String stopReason = call != null ? "tool_use" : switch (gen.finish()) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case STOP_SEQUENCE -> "stop_sequence";
        };
        long outputTokens = call != null ? call.tokens() : gen.tokens();
        String id = String.format("msg_01Fake%014d", nextId());
        String toolId = String.format("toolu_01Fake%012d", nextId());
        res.putHeader("request-id", requestId());
        if (request.path("stream").asBoolean(false)) {
            streamMessage(stream(req, "text/event-stream; charset=utf-8"), message(id, model, inputTokens, 1),
                    gen, call, toolId, stopReason, outputTokens);
            return;
        }
        ObjectNode out = message(id, model, inputTokens, outputTokens);
        ArrayNode content = out.withArray("content");
        if (call != null) {
            content.addObject().put("type", "tool_use").put("id", toolId).put("name", call.name())
                    .set("input", call.arguments());
        } else {
            content.addObject().put("type", "text").put("text", gen.text());
        }
        out.put("stop_reason", stopReason).put("stop_sequence", gen.stopSequence());
        out.set("usage", out.remove("usage"));
        json(res, 200, out);
    }

    /** The message object: its head, empty content, null stop fields, and usage. */
    private ObjectNode message(String id, String model, long inputTokens, long outputTokens) {
        ObjectNode message = JSON.createObjectNode().put("id", id).put("type", "message").put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", Math.max(0, inputTokens - cachedTokens()))
                .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", cachedTokens())
                .put("output_tokens", outputTokens);
        return message;
    }

    private static void streamMessage(EventStream out, ObjectNode message, Generation gen, ToolCall call,
            String toolId, String stopReason, long outputTokens) {
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        start.set("message", message);
        event(out, start);
        ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
        if (call != null) {
            blockStart.putObject("content_block").put("type", "tool_use").put("id", toolId).put("name", call.name())
                    .putObject("input");
        } else {
            blockStart.putObject("content_block").put("type", "text").put("text", "");
        }
        event(out, blockStart);
        event(out, JSON.createObjectNode().put("type", "ping"));
        if (call != null) {
            delta(out, "input_json_delta", "partial_json", "");
            for (String fragment : fragments(call.argumentsJson(), 8)) {
                delta(out, "input_json_delta", "partial_json", fragment);
            }
        } else {
            for (String piece : gen.pieces()) {
                delta(out, "text_delta", "text", piece);
            }
        }
        event(out, JSON.createObjectNode().put("type", "content_block_stop").put("index", 0));
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason).put("stop_sequence", gen.stopSequence());
        messageDelta.putObject("usage").put("output_tokens", outputTokens);
        event(out, messageDelta);
        out.end(EventStream.sse("message_stop", "{\"type\":\"message_stop\"}"));
    }

    private static void event(EventStream out, ObjectNode data) {
        out.send(EventStream.sse(data.path("type").asText(), data.toString()));
    }

    private static void delta(EventStream out, String type, String field, String value) {
        ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
        delta.putObject("delta").put("type", type).put(field, value);
        event(out, delta);
    }

    private void countTokens(HttpServerResponse res, JsonNode request) {
        String invalid = AnthropicRequestRules.invalid(request, false);
        if (invalid != null) {
            error(res, 400, errorBody("invalid_request_error", invalid));
        } else {
            json(res, 200, JSON.createObjectNode().put("input_tokens", inputTokens(request)));
        }
    }

    private static long inputTokens(JsonNode request) {
        long tokens = words(text(request.path("system")));
        for (JsonNode m : request.path("messages")) {
            tokens += words(text(m.path("content")));
        }
        return tokens;
    }

    private void listModels(HttpServerRequest req) {
        int limit = 20;
        try {
            limit = req.getParam("limit") == null ? 20 : Math.max(1, Integer.parseInt(req.getParam("limit")));
        } catch (NumberFormatException e) {
            // the default
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode data = out.putArray("data");
        models().stream().limit(limit).forEach(id -> data.add(modelNode(id)));
        out.put("has_more", models().size() > limit);
        out.put("first_id", data.isEmpty() ? null : data.get(0).path("id").asText());
        out.put("last_id", data.isEmpty() ? null : data.get(data.size() - 1).path("id").asText());
        json(req.response(), 200, out);
    }

    private static ObjectNode modelNode(String id) {
        StringBuilder display = new StringBuilder();
        for (String word : id.split("-")) {
            display.append(display.length() == 0 ? "" : " ")
                    .append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
        }
        return JSON.createObjectNode().put("type", "model").put("id", id).put("display_name", display.toString())
                .put("created_at", "2025-01-01T00:00:00Z");
    }

    private String requestId() {
        return String.format("req_01Fake%016d", nextId());
    }

    private String errorBody(String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        body.put("request_id", requestId());
        return body.toString();
    }

    private static String errorType(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }
}
