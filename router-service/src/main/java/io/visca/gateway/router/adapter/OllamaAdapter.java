package io.visca.gateway.router.adapter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.contracts.provider.ProviderTypes;
import io.visca.gateway.router.proxy.GatewayError;

/**
 * {@code ollama}: Ollama's native API behind OpenAI's. Chat completions go to {@code POST /api/chat}, text
 * completions to {@code POST /api/generate}, embeddings to {@code POST /api/embed}; sampling parameters move into
 * {@code options}, {@code response_format} into {@code format}, image data URLs into {@code images}, and
 * {@code stream} is always sent (Ollama streams when it is absent). Streams are NDJSON lines, mapped to OpenAI's SSE
 * chunks; usage comes from {@code prompt_eval_count} and {@code eval_count}. Errors are {@code {"error":"..."}}.
 */
@Singleton
public class OllamaAdapter implements ProviderAdapter {

    static final String CHAT_PATH = "/api/chat";
    static final String GENERATE_PATH = "/api/generate";
    static final String EMBED_PATH = "/api/embed";

    @Override
    public String type() {
        return ProviderTypes.OLLAMA;
    }

    @Override
    public boolean supports(Operation operation) {
        return true;
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamCall call) {
        return call.send(request(call));
    }

    /** The upstream request of the call's operation. */
    UpstreamRequest request(UpstreamCall call) {
        MultiMap headers = call.jsonHeaders();
        if (call.stream() && call.operation() != Operation.EMBEDDINGS) {
            headers.set("accept", "application/x-ndjson, application/json");
        }
        return switch (call.operation()) {
            case CHAT -> new UpstreamRequest(HttpMethod.POST, call.url(CHAT_PATH), headers,
                    Json.write(chatBody(call)));
            case COMPLETIONS -> new UpstreamRequest(HttpMethod.POST, call.url(GENERATE_PATH), headers,
                    Json.write(generateBody(call)));
            case EMBEDDINGS -> new UpstreamRequest(HttpMethod.POST, call.url(EMBED_PATH), headers,
                    Json.write(embedBody(call)));
        };
    }

    // ---------------------------------------------------------------------------------------------- request

    /** The {@code /api/chat} body. */
    static ObjectNode chatBody(UpstreamCall call) {
        ObjectNode request = call.request();
        singleChoice(call, request);
        ObjectNode out = Json.object().put("model", call.model().upstreamId());
        ArrayNode messages = out.putArray("messages");
        Map<String, String> toolNames = new HashMap<>();
        JsonNode openAiMessages = request.path("messages");
        for (int i = 0; i < openAiMessages.size(); i++) {
            messages.add(message(openAiMessages.get(i), i, toolNames));
        }
        JsonNode tools = request.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()
                && !"none".equals(request.path("tool_choice").asText())) {
            out.set("tools", tools);
        }
        common(request, out, call.stream());
        return out;
    }

    private static ObjectNode message(JsonNode message, int i, Map<String, String> toolNames) {
        String role = message.path("role").asText();
        ObjectNode out = Json.object().put("role", "developer".equals(role) ? "system" : role);
        JsonNode content = message.path("content");
        if ("user".equals(role) && content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                String at = "messages[" + i + "].content[" + j + "]";
                switch (part.path("type").asText()) {
                    case "text" -> text.append(text.length() > 0 ? "\n" : "").append(part.path("text").asText(""));
                    case "image_url" -> {
                        JsonNode imageUrl = part.path("image_url");
                        String url = imageUrl.isTextual() ? imageUrl.asText() : imageUrl.path("url").asText("");
                        out.withArray("images").add(base64Image(url, at));
                    }
                    default -> throw GatewayError.badRequest(at + ": content parts of type '"
                            + part.path("type").asText() + "' are not supported by provider type ollama.", at,
                            "unsupported_content");
                }
            }
            out.put("content", text.toString());
            if (out.has("images")) {
                out.set("images", out.remove("images"));
            }
        } else {
            out.put("content", Json.text(content));
        }
        JsonNode toolCalls = message.path("tool_calls");
        if ("assistant".equals(role) && toolCalls.isArray() && !toolCalls.isEmpty()) {
            ArrayNode calls = out.putArray("tool_calls");
            for (int j = 0; j < toolCalls.size(); j++) {
                JsonNode function = toolCalls.get(j).path("function");
                String name = function.path("name").asText("");
                toolNames.put(toolCalls.get(j).path("id").asText(""), name);
                calls.addObject().putObject("function").put("name", name).set("arguments",
                        arguments(function.path("arguments"), "messages[" + i + "].tool_calls[" + j
                                + "].function.arguments"));
            }
        }
        if ("tool".equals(role)) {
            String name = toolNames.get(message.path("tool_call_id").asText(""));
            if (name != null) {
                out.put("tool_name", name);
            }
        }
        return out;
    }

    /** OpenAI's JSON string arguments as the object Ollama takes. */
    private static JsonNode arguments(JsonNode arguments, String at) {
        if (arguments.isObject()) {
            return arguments;
        }
        JsonNode parsed = Json.toolArguments(arguments.asText(""));
        if (parsed == null) {
            throw GatewayError.badRequest(at + " must be a JSON object (provider type ollama takes tool arguments "
                    + "as objects).", at, "invalid_value");
        }
        return parsed;
    }

    /** The base64 payload of a {@code data:} URL: Ollama takes images inline only. */
    private static String base64Image(String url, String at) {
        int comma = url.indexOf(',');
        if (!url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
            throw GatewayError.badRequest(at + ": provider type ollama takes images as base64 data URLs only "
                    + "(data:image/png;base64,...).", at, "invalid_value");
        }
        return url.substring(comma + 1);
    }

    /** The {@code /api/generate} body of a text completion request. */
    static ObjectNode generateBody(UpstreamCall call) {
        ObjectNode request = call.request();
        singleChoice(call, request);
        JsonNode prompt = request.path("prompt");
        if (prompt.isArray()) {
            if (prompt.size() != 1 || !prompt.get(0).isTextual()) {
                throw GatewayError.badRequest("Provider type ollama takes one text prompt per request.", "prompt",
                        "invalid_value");
            }
            prompt = prompt.get(0);
        }
        ObjectNode out = Json.object().put("model", call.model().upstreamId()).put("prompt", prompt.asText(""));
        JsonNode suffix = request.get("suffix");
        if (suffix != null && suffix.isTextual()) {
            out.put("suffix", suffix.asText());
        }
        common(request, out, call.stream());
        return out;
    }

    private static void singleChoice(UpstreamCall call, ObjectNode request) {
        for (String field : new String[] { "n", "best_of" }) {
            JsonNode value = request.get(field);
            if (value != null && value.isNumber() && value.asInt() > 1) {
                throw GatewayError.badRequest("Provider '" + call.provider().name() + "' (type ollama) returns one "
                        + "choice per request: '" + field + "' must be 1.", field, "unsupported_parameter");
            }
        }
    }

    /** {@code stream} (always explicit), {@code options} and {@code format}. */
    private static void common(ObjectNode request, ObjectNode out, boolean stream) {
        out.put("stream", stream);
        ObjectNode options = Json.object();
        for (String field : new String[] { "temperature", "top_p", "seed", "frequency_penalty", "presence_penalty" }) {
            JsonNode value = request.get(field);
            if (value != null && value.isNumber()) {
                options.set(field, value);
            }
        }
        JsonNode max = request.get("max_completion_tokens");
        if (max == null || !max.isNumber()) {
            max = request.get("max_tokens");
        }
        if (max != null && max.isNumber()) {
            options.set("num_predict", max);
        }
        JsonNode stop = request.get("stop");
        if (stop != null && stop.isTextual()) {
            options.putArray("stop").add(stop.asText());
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            options.set("stop", stop);
        }
        if (!options.isEmpty()) {
            out.set("options", options);
        }
        JsonNode format = request.path("response_format");
        switch (format.path("type").asText("")) {
            case "json_object" -> out.put("format", "json");
            case "json_schema" -> {
                JsonNode schema = format.path("json_schema").path("schema");
                if (schema.isObject()) {
                    out.set("format", schema);
                } else {
                    out.put("format", "json");
                }
            }
            default -> {
                // text, or none
            }
        }
    }

    /** The {@code /api/embed} body: text inputs only (Ollama takes no token arrays). */
    static ObjectNode embedBody(UpstreamCall call) {
        ObjectNode request = call.request();
        JsonNode input = request.path("input");
        boolean text = input.isTextual();
        if (input.isArray() && !input.isEmpty()) {
            text = true;
            for (JsonNode item : input) {
                text &= item.isTextual();
            }
        }
        if (!text) {
            throw GatewayError.badRequest("Provider type ollama embeds text only: 'input' must be a string or an "
                    + "array of strings.", "input", "invalid_value");
        }
        ObjectNode out = Json.object().put("model", call.model().upstreamId());
        out.set("input", input);
        JsonNode dimensions = request.get("dimensions");
        if (dimensions != null && dimensions.isNumber()) {
            out.set("dimensions", dimensions);
        }
        return out;
    }

    // --------------------------------------------------------------------------------------------- response

    @Override
    public Buffer response(UpstreamCall call, Buffer upstreamBody) {
        JsonNode body = Json.readUpstream(call, upstreamBody);
        call.firstToken();
        return switch (call.operation()) {
            case CHAT -> chatResponse(call, body);
            case COMPLETIONS -> completionResponse(call, body);
            case EMBEDDINGS -> embeddingsResponse(call, body);
        };
    }

    private static Buffer chatResponse(UpstreamCall call, JsonNode body) {
        JsonNode upstreamMessage = body.path("message");
        if (!upstreamMessage.isObject()) {
            throw UpstreamErrors.malformed(call, "the answer has no message");
        }
        String content = upstreamMessage.path("content").asText("");
        ObjectNode message = OpenAiResponses.assistantMessage(content);
        JsonNode toolCalls = upstreamMessage.path("tool_calls");
        int index = 0;
        if (toolCalls.isArray()) {
            for (JsonNode toolCall : toolCalls) {
                JsonNode function = toolCall.path("function");
                OpenAiResponses.addToolCall(message, "call_" + index++, function.path("name").asText(""),
                        argumentsJson(function.path("arguments")));
            }
        }
        if (index > 0 && content.isEmpty()) {
            message.putNull("content");
        }
        readUsage(call.usage(), body);
        return OpenAiResponses.chatCompletion(call, null, body.path("model").asText(null), message,
                finishReason(body, index > 0));
    }

    private static Buffer completionResponse(UpstreamCall call, JsonNode body) {
        if (!body.has("response")) {
            throw UpstreamErrors.malformed(call, "the answer has no response");
        }
        readUsage(call.usage(), body);
        return OpenAiTextCompletions.completion(call, null, body.path("model").asText(null),
                body.path("response").asText(""), finishReason(body, false));
    }

    private static Buffer embeddingsResponse(UpstreamCall call, JsonNode body) {
        JsonNode embeddings = body.path("embeddings");
        if (!embeddings.isArray()) {
            throw UpstreamErrors.malformed(call, "the answer has no embeddings");
        }
        boolean base64 = "base64".equals(call.request().path("encoding_format").asText());
        ObjectNode out = Json.object().put("object", "list");
        ArrayNode data = out.putArray("data");
        int index = 0;
        for (JsonNode embedding : embeddings) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", index++);
            if (base64) {
                item.put("embedding", base64(embedding));
            } else {
                item.set("embedding", embedding);
            }
        }
        out.put("model", body.path("model").asText(call.model().upstreamId()));
        JsonNode count = body.get("prompt_eval_count");
        Usage usage = call.usage();
        if (count != null && count.isNumber()) {
            usage.set(count.asLong(), 0, 0);
        } else {
            usage.set(TokenEstimates.ofRequest(call.request()), 0, 0);
            usage.estimated = true;
        }
        out.putObject("usage").put("prompt_tokens", usage.promptTokens).put("total_tokens", usage.promptTokens);
        return Json.write(out);
    }

    /** OpenAI's {@code encoding_format: base64}: the vector as little-endian float32s. */
    static String base64(JsonNode vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode value : vector) {
            bytes.putFloat((float) value.asDouble());
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** Ollama's arguments object as OpenAI's JSON string. */
    private static String argumentsJson(JsonNode arguments) {
        if (arguments.isTextual()) {
            return arguments.asText();
        }
        return arguments.isMissingNode() || arguments.isNull() ? "{}" : arguments.toString();
    }

    private static String finishReason(JsonNode body, boolean calledTools) {
        if (calledTools) {
            return "tool_calls";
        }
        return "length".equals(body.path("done_reason").asText()) ? "length" : "stop";
    }

    /** {@code prompt_eval_count} and {@code eval_count}, where present (the rest is estimated later). */
    static void readUsage(Usage usage, JsonNode body) {
        JsonNode prompt = body.get("prompt_eval_count");
        if (prompt != null && prompt.isNumber()) {
            usage.promptTokens = prompt.asLong();
        }
        JsonNode completion = body.get("eval_count");
        if (completion != null && completion.isNumber()) {
            usage.completionTokens = completion.asLong();
        }
    }

    // ----------------------------------------------------------------------------------------------- stream

    @Override
    public StreamMapper stream(UpstreamCall call) {
        return new NdjsonStream(call);
    }

    /**
     * Ollama's NDJSON stream ({@code /api/chat} as OpenAI's chat chunks, {@code /api/generate} as its text completion
     * chunks): each {@code "done":false} line a delta, the {@code "done":true} line the finish reason, the usage and
     * the end; an {@code {"error"}} line fails the stream. Text completion chunks name the model the gateway sent and
     * carry no tool calls.
     */
    static final class NdjsonStream extends TranslatingStream<OpenAiChunkStream> {

        /** {@link #out} for chat, null for text completions. */
        private final OpenAiStream chat;
        private int toolCalls;
        private long generatedChars;

        NdjsonStream(UpstreamCall call) {
            super(call, OpenAiChunkStream.of(call), Framing.NDJSON);
            this.chat = out instanceof OpenAiStream chatStream ? chatStream : null;
        }

        @Override
        protected void upstreamEnded() {
            estimateUsageIfCutShort(generatedChars);
        }

        @Override
        protected void event(String eventName, String line) {
            if (out.ended() || line.isBlank()) {
                return;
            }
            JsonNode node = readObject(line, "a stream line");
            if (node == null) {
                return;
            }
            JsonNode error = node.get("error");
            if (error != null && !error.isNull()) {
                String message = error.isTextual() ? error.asText() : error.path("message").asText(error.toString());
                out.fail(UpstreamErrors.failed(call, message, false));
                return;
            }
            if (chat != null) {
                chat.model(node.path("model").asText(null));
            }
            JsonNode message = node.path("message");
            String text = message.isObject() ? message.path("content").asText("") : node.path("response").asText("");
            generatedChars += text.length();
            out.content(text);
            for (JsonNode toolCall : message.path("tool_calls")) {
                JsonNode function = toolCall.path("function");
                String name = function.path("name").asText("");
                String arguments = argumentsJson(function.path("arguments"));
                generatedChars += name.length() + arguments.length();
                if (chat != null) {
                    chat.toolCall(toolCalls, "call_" + toolCalls, name, arguments);
                }
                toolCalls++;
            }
            if (node.path("done").asBoolean(false)) {
                readUsage(call.usage(), node);
                done = true;
                out.end(finishReason(node, toolCalls > 0));
            }
        }
    }

    // ----------------------------------------------------------------------------------------------- errors

    @Override
    public GatewayError error(UpstreamCall call, UpstreamResponse response, Buffer body) {
        // a body that is not JSON ("404 page not found" from a proxy or an old server) has no provider message
        JsonNode error = ErrorBodies.json(body).path("error");
        String message = error.isTextual() ? error.asText()
                : error.isObject() ? error.path("message").asText(null) : null;
        return UpstreamErrors.fromStatus(call, response.status(), response.headers(), message, false);
    }
}
