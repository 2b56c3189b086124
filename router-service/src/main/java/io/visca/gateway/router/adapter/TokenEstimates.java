package io.visca.gateway.router.adapter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Token counts for upstreams that report none: about four characters per token, plus OpenAI's per-message overhead.
 * Good enough to price and to budget a context window; results carry {@code estimated}.
 */
public final class TokenEstimates {

    private TokenEstimates() {
    }

    public static long ofText(String text) {
        return text == null || text.isEmpty() ? 0 : (text.length() + 3) / 4;
    }

    /**
     * The completion cap a request sets: its {@code max_completion_tokens}, else its {@code max_tokens}, when a
     * positive integer; 0 when it sets none.
     */
    public static long completionCap(JsonNode request) {
        for (String field : new String[] { "max_completion_tokens", "max_tokens" }) {
            JsonNode max = request.get(field);
            if (max != null && max.canConvertToLong() && max.asLong() > 0) {
                return max.asLong();
            }
        }
        return 0;
    }

    /** The prompt of a chat request ({@code messages}), a completion request ({@code prompt}) or embeddings. */
    public static long ofRequest(JsonNode request) {
        JsonNode messages = request.path("messages");
        if (messages.isArray()) {
            long tokens = 3;
            for (JsonNode message : messages) {
                tokens += 4 + ofText(Json.text(message.path("content")));
                JsonNode toolCalls = message.path("tool_calls");
                if (toolCalls.isArray()) {
                    tokens += ofText(toolCalls.toString());
                }
            }
            return tokens;
        }
        JsonNode prompt = request.has("prompt") ? request.path("prompt") : request.path("input");
        if (prompt.isArray()) {
            long tokens = 0;
            for (JsonNode item : prompt) {
                tokens += item.isTextual() ? ofText(item.asText()) : item.size();
            }
            return tokens;
        }
        return ofText(prompt.asText(""));
    }

    /** Fills what the upstream left out of {@code usage} from the request and the generated text. */
    public static void complete(Usage usage, JsonNode request, long completionChars) {
        if (usage.promptTokens < 0) {
            usage.promptTokens = ofRequest(request);
            usage.estimated = true;
        }
        if (usage.completionTokens < 0) {
            usage.completionTokens = completionChars <= 0 ? 0 : (completionChars + 3) / 4;
            usage.estimated = true;
        }
    }
}
