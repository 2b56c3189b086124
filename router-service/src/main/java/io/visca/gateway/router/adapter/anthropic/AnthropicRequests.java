package io.visca.gateway.router.adapter.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.error.GatewayError;

/**
 * {@link AnthropicAdapter}'s request side: an OpenAI chat request as a Messages API body. System and developer
 * messages become {@code system}, tool calls and tool results {@code tool_use} and {@code tool_result} blocks,
 * image and file parts {@code image} and {@code document} blocks, {@code tools}, {@code tool_choice} and
 * {@code parallel_tool_calls} Anthropic's tools and tool choice; consecutive same-role messages are merged and
 * {@code max_tokens} is always set.
 */
final class AnthropicRequests {

    private AnthropicRequests() {
    }

    /**
     * The Messages API body for the call's OpenAI chat request.
     *
     * @param defaultMaxTokens the {@code max_tokens} sent when the request sets neither {@code max_completion_tokens}
     *        nor {@code max_tokens} (the Messages API requires one)
     * @throws GatewayError (400) for what the Messages API cannot express ({@code n > 1}, unknown content parts)
     */
    static ObjectNode body(UpstreamCall call, int defaultMaxTokens) {
        ObjectNode request = call.request();
        JsonNode n = request.get("n");
        if (n != null && n.isNumber() && n.asInt() > 1) {
            throw GatewayError.badRequest("Provider '" + call.provider().name()
                    + "' (type anthropic) returns one choice per request: 'n' must be 1.", "n", "unsupported_parameter");
        }
        ObjectNode out = Json.object().put("model", call.model().upstreamId());
        StringBuilder system = new StringBuilder();
        ArrayNode messages = messages(request.path("messages"), system);
        if (messages.isEmpty()) {
            throw GatewayError.badRequest("Provider '" + call.provider().name() + "' (type anthropic) needs at least "
                    + "one user or assistant message besides system messages.", "messages", "invalid_value");
        }
        if (system.length() > 0) {
            out.put("system", system.toString());
        }
        out.set("messages", messages);
        out.put("max_tokens", maxTokens(request, defaultMaxTokens));
        JsonNode stop = request.get("stop");
        if (stop != null && stop.isTextual()) {
            out.putArray("stop_sequences").add(stop.asText());
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            ArrayNode sequences = out.putArray("stop_sequences");
            stop.forEach(sequence -> sequences.add(sequence.asText()));
        }
        copyNumber(request, out, "temperature");
        copyNumber(request, out, "top_p");
        tools(request, out);
        JsonNode user = request.get("user");
        if (user != null && user.isTextual() && !user.asText().isEmpty()) {
            out.putObject("metadata").put("user_id", user.asText());
        }
        if (call.stream()) {
            out.put("stream", true);
        }
        return out;
    }

    private static long maxTokens(ObjectNode request, int defaultMaxTokens) {
        JsonNode max = request.get("max_completion_tokens");
        if (max == null || !max.isNumber()) {
            max = request.get("max_tokens");
        }
        return max != null && max.isNumber() ? max.asLong() : defaultMaxTokens;
    }

    private static void copyNumber(ObjectNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value != null && value.isNumber()) {
            to.set(field, value);
        }
    }

    /**
     * OpenAI messages as Messages API messages: system and developer text into {@code system}, tool results into
     * user messages, consecutive messages of one role merged into one (the API wants user and assistant to alternate).
     */
    private static ArrayNode messages(JsonNode openAiMessages, StringBuilder system) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        String lastRole = null;
        ArrayNode lastContent = null;
        for (int i = 0; i < openAiMessages.size(); i++) {
            JsonNode message = openAiMessages.get(i);
            String role = message.path("role").asText();
            ArrayNode blocks = Json.MAPPER.createArrayNode();
            String anthropicRole;
            switch (role) {
                case "system", "developer" -> {
                    String text = Json.text(message.path("content"));
                    if (!text.isEmpty()) {
                        system.append(system.length() > 0 ? "\n\n" : "").append(text);
                    }
                    continue;
                }
                case "user" -> {
                    anthropicRole = "user";
                    contentBlocks(message.path("content"), blocks, "messages[" + i + "].content", true);
                }
                case "assistant" -> {
                    anthropicRole = "assistant";
                    contentBlocks(message.path("content"), blocks, "messages[" + i + "].content", false);
                    toolUses(message.path("tool_calls"), blocks, i);
                }
                case "tool" -> {
                    anthropicRole = "user";
                    ObjectNode result = blocks.addObject().put("type", "tool_result")
                            .put("tool_use_id", message.path("tool_call_id").asText(""));
                    String text = Json.text(message.path("content"));
                    if (!text.isEmpty()) {
                        result.put("content", text);
                    }
                }
                default -> throw GatewayError.badRequest("messages[" + i + "] has role '" + role
                        + "', which provider type anthropic does not take (use system, developer, user, assistant "
                        + "or tool).", "messages[" + i + "].role", "invalid_value");
            }
            if (blocks.isEmpty()) {
                continue;
            }
            if (anthropicRole.equals(lastRole)) {
                lastContent.addAll(blocks);
            } else {
                ObjectNode next = out.addObject().put("role", anthropicRole);
                next.set("content", blocks);
                lastRole = anthropicRole;
                lastContent = blocks;
            }
        }
        // a lone text block reads better (and counts the same) as plain string content
        for (JsonNode message : out) {
            JsonNode content = message.path("content");
            if (content.size() == 1 && "text".equals(content.get(0).path("type").asText())) {
                ((ObjectNode) message).put("content", content.get(0).path("text").asText());
            }
        }
        return out;
    }

    /** Text (and, for user messages, image and PDF) parts as content blocks; empty text is dropped. */
    private static void contentBlocks(JsonNode content, ArrayNode blocks, String where, boolean user) {
        if (content.isTextual()) {
            text(blocks, content.asText());
            return;
        }
        if (!content.isArray()) {
            return;
        }
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String type = part.path("type").asText();
            String at = where + "[" + j + "]";
            switch (type) {
                case "text" -> text(blocks, part.path("text").asText(""));
                case "refusal" -> text(blocks, part.path("refusal").asText(""));
                case "image_url" -> {
                    if (!user) {
                        throw unsupportedPart(at, type);
                    }
                    JsonNode imageUrl = part.path("image_url");
                    String url = imageUrl.isTextual() ? imageUrl.asText() : imageUrl.path("url").asText("");
                    blocks.addObject().put("type", "image").set("source", source(url, at, "image"));
                }
                case "file" -> {
                    String data = part.path("file").path("file_data").asText("");
                    if (!user || data.isEmpty()) {
                        throw unsupportedPart(at, type + " (only inline file_data)");
                    }
                    blocks.addObject().put("type", "document").set("source", source(data, at, "file"));
                }
                default -> throw unsupportedPart(at, type);
            }
        }
    }

    private static void text(ArrayNode blocks, String text) {
        if (!text.isEmpty()) {
            blocks.addObject().put("type", "text").put("text", text);
        }
    }

    /** An image or document source: a base64 {@code data:} URL, or an http(s) URL Anthropic fetches itself. */
    private static ObjectNode source(String url, String at, String what) {
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            String meta = comma < 0 ? "" : url.substring(5, comma);
            if (comma < 0 || !meta.endsWith(";base64")) {
                throw GatewayError.badRequest(at + ": a data URL must be base64 encoded (data:<type>;base64,...).",
                        at, "invalid_value");
            }
            return Json.object().put("type", "base64").put("media_type", meta.substring(0, meta.length() - 7))
                    .put("data", url.substring(comma + 1));
        }
        if (url.startsWith("https://") || url.startsWith("http://")) {
            return Json.object().put("type", "url").put("url", url);
        }
        throw GatewayError.badRequest(at + ": the " + what + " must be a data: URL or an http(s) URL.", at,
                "invalid_value");
    }

    private static GatewayError unsupportedPart(String at, String type) {
        return GatewayError.badRequest(at + ": content parts of type '" + type
                + "' are not supported by provider type anthropic here.", at, "unsupported_content");
    }

    /** Assistant {@code tool_calls} as {@code tool_use} blocks, their JSON string arguments parsed to objects. */
    private static void toolUses(JsonNode toolCalls, ArrayNode blocks, int i) {
        if (!toolCalls.isArray()) {
            return;
        }
        for (int j = 0; j < toolCalls.size(); j++) {
            JsonNode toolCall = toolCalls.get(j);
            JsonNode function = toolCall.path("function");
            JsonNode input = Json.toolArguments(function.path("arguments").asText(""));
            if (input == null) {
                String at = "messages[" + i + "].tool_calls[" + j + "].function.arguments";
                throw GatewayError.badRequest(at + " must be a JSON object (provider type anthropic takes tool "
                        + "inputs as objects).", at, "invalid_value");
            }
            blocks.addObject().put("type", "tool_use").put("id", toolCall.path("id").asText(""))
                    .put("name", function.path("name").asText("")).set("input", input);
        }
    }

    /** {@code tools}, and with them {@code tool_choice} and {@code parallel_tool_calls}. */
    private static void tools(ObjectNode request, ObjectNode out) {
        JsonNode tools = request.get("tools");
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            // the Messages API takes tool_choice only with tools (clients often send it regardless)
            return;
        }
        ArrayNode mapped = out.putArray("tools");
        for (int k = 0; k < tools.size(); k++) {
            JsonNode tool = tools.get(k);
            String type = tool.path("type").asText("function");
            if (!"function".equals(type) || !tool.path("function").isObject()) {
                throw GatewayError.badRequest("tools[" + k + "]: provider type anthropic takes only function "
                        + "tools here (got '" + type + "').", "tools[" + k + "].type", "invalid_value");
            }
            JsonNode function = tool.path("function");
            ObjectNode entry = mapped.addObject().put("name", function.path("name").asText(""));
            if (function.hasNonNull("description")) {
                entry.put("description", function.path("description").asText());
            }
            JsonNode parameters = function.path("parameters");
            if (parameters.isObject()) {
                entry.set("input_schema", parameters);
            } else {
                entry.putObject("input_schema").put("type", "object").putObject("properties");
            }
        }
        JsonNode choice = request.get("tool_choice");
        ObjectNode toolChoice = null;
        if (choice != null && choice.isTextual()) {
            String type = switch (choice.asText()) {
                case "auto" -> "auto";
                case "required" -> "any";
                case "none" -> "none";
                default -> throw GatewayError.badRequest("tool_choice must be 'auto', 'required', 'none' or a "
                        + "named function.", "tool_choice", "invalid_value");
            };
            toolChoice = Json.object().put("type", type);
        } else if (choice != null && choice.isObject()) {
            String name = choice.path("function").path("name").asText("");
            if (name.isEmpty()) {
                throw GatewayError.badRequest("tool_choice must name a function: {\"type\":\"function\","
                        + "\"function\":{\"name\":...}}.", "tool_choice", "invalid_value");
            }
            toolChoice = Json.object().put("type", "tool").put("name", name);
        }
        JsonNode parallel = request.get("parallel_tool_calls");
        if (parallel != null && parallel.isBoolean() && !parallel.asBoolean()) {
            if (toolChoice == null) {
                toolChoice = Json.object().put("type", "auto");
            }
            if (!"none".equals(toolChoice.path("type").asText())) {
                toolChoice.put("disable_parallel_tool_use", true);
            }
        }
        if (toolChoice != null) {
            out.set("tool_choice", toolChoice);
        }
    }
}
