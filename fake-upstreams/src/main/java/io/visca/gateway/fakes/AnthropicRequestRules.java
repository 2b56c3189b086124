package io.visca.gateway.fakes;

import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Anthropic's Messages API rejects, in its own words, for {@link FakeAnthropicServer}: required fields, a
 * {@code system} role inside messages, malformed content blocks, and {@code tool_result} blocks that do not answer
 * the previous message's {@code tool_use} blocks (and the other way round).
 */
final class AnthropicRequestRules {

    private AnthropicRequestRules() {
    }

    /** What the real API would reject in this request, in its words; null if valid. */
    static String invalid(JsonNode request, boolean needsMaxTokens) {
        if (!request.path("model").isTextual()) {
            return "model: Field required";
        }
        JsonNode max = request.path("max_tokens");
        if (needsMaxTokens && (max.isMissingNode() || max.isNull())) {
            return "max_tokens: Field required";
        }
        if (needsMaxTokens && !max.isIntegralNumber()) {
            return "max_tokens: Input should be a valid integer";
        }
        if (needsMaxTokens && max.asLong() < 1) {
            return "max_tokens: Input should be greater than or equal to 1";
        }
        JsonNode messages = request.path("messages");
        if (messages.isMissingNode() || messages.isNull()) {
            return "messages: Field required";
        }
        if (!messages.isArray()) {
            return "messages: Input should be a valid list";
        }
        if (messages.isEmpty()) {
            return "messages: at least one message is required";
        }
        String system = invalidSystem(request.path("system"));
        if (system != null) {
            return system;
        }
        for (int k = 0; k < request.path("tools").size(); k++) {
            if (!request.path("tools").get(k).path("name").isTextual()) {
                return "tools." + k + ".name: Field required";
            }
        }
        return invalidMessages(messages);
    }

    private static String invalidSystem(JsonNode system) {
        if (system.isMissingNode() || system.isNull() || system.isTextual()) {
            return null;
        }
        if (!system.isArray()) {
            return "system: Input should be a valid list";
        }
        for (int i = 0; i < system.size(); i++) {
            if (!"text".equals(system.get(i).path("type").asText()) || !system.get(i).path("text").isTextual()) {
                return "system." + i + ".text: Field required";
            }
        }
        return null;
    }

    private static String invalidMessages(JsonNode messages) {
        Set<String> openToolUses = Set.of();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages." + i;
            String role = m.path("role").asText("");
            if ("system".equals(role)) {
                return "messages: Unexpected role \"system\". The Messages API accepts a top-level `system` "
                        + "parameter, not \"system\" as an input message role.";
            }
            if (!"user".equals(role) && !"assistant".equals(role)) {
                return at + ".role: Input should be 'user' or 'assistant'";
            }
            JsonNode content = m.path("content");
            if (content.isMissingNode() || content.isNull()) {
                return at + ".content: Field required";
            }
            if (!content.isTextual() && !content.isArray()) {
                return at + ".content: Input should be a valid list";
            }
            Set<String> toolUses = new HashSet<>();
            Set<String> toolResults = new HashSet<>();
            for (int j = 0; j < content.size(); j++) {
                String invalid = invalidBlock(content.get(j), at + ".content." + j, openToolUses, toolUses,
                        toolResults);
                if (invalid != null) {
                    return invalid;
                }
            }
            if (!toolResults.containsAll(openToolUses)) {
                return "messages." + (i - 1) + ": `tool_use` ids were found without `tool_result` blocks "
                        + "immediately after: " + String.join(", ", openToolUses) + ". Each `tool_use` block must "
                        + "have a corresponding `tool_result` block in the next message.";
            }
            openToolUses = toolUses;
        }
        return null;
    }

    private static String invalidBlock(JsonNode block, String at, Set<String> openToolUses, Set<String> toolUses,
            Set<String> toolResults) {
        switch (block.path("type").asText("")) {
            case "" -> {
                return at + ".type: Field required";
            }
            case "text" -> {
                return block.path("text").isTextual() ? null : at + ".text.text: Field required";
            }
            case "tool_use" -> {
                for (String field : new String[] { "id", "name" }) {
                    if (!block.path(field).isTextual()) {
                        return at + ".tool_use." + field + ": Field required";
                    }
                }
                if (!block.path("input").isObject()) {
                    return at + ".tool_use.input: Input should be a valid dictionary";
                }
                toolUses.add(block.path("id").asText());
                return null;
            }
            case "tool_result" -> {
                JsonNode id = block.path("tool_use_id");
                if (!id.isTextual()) {
                    return at + ".tool_result.tool_use_id: Field required";
                }
                if (!openToolUses.contains(id.asText())) {
                    return at + ": unexpected `tool_use_id` found in "
                            + "`tool_result` blocks: " + id.asText() + ". Each `tool_result` block must have a "
                            + "corresponding `tool_use` block in the previous message.";
                }
                toolResults.add(id.asText());
                return null;
            }
            default -> {
                return null;
            }
        }
    }
}
