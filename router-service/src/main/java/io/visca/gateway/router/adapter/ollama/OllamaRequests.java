package io.visca.gateway.router.adapter.ollama;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.error.GatewayError;

/**
 * {@link OllamaAdapter}'s request side: OpenAI requests as Ollama's {@code /api/chat}, {@code /api/generate} and
 * {@code /api/embed} bodies. Sampling parameters move into {@code options}, {@code response_format} into
 * {@code format}, image data URLs into {@code images}, tool call arguments from JSON strings to objects, and
 * {@code stream} is always sent.
 */
final class OllamaRequests {

    private OllamaRequests() {
    }

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
}
