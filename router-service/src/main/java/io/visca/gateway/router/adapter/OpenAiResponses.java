package io.visca.gateway.router.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;

/** OpenAI's non-streaming response bodies, for adapters that translate another format. */
public final class OpenAiResponses {

    private OpenAiResponses() {
    }

    /** A new assistant message: {@code {"role":"assistant","content":null}} to fill. */
    public static ObjectNode assistantMessage(String content) {
        ObjectNode message = Json.object().put("role", "assistant");
        if (content == null) {
            message.putNull("content");
        } else {
            message.put("content", content);
        }
        return message;
    }

    /** Adds an OpenAI tool call ({@code arguments} a JSON string) to {@code message}. */
    public static void addToolCall(ObjectNode message, String id, String name, String argumentsJson) {
        ArrayNode calls = message.has("tool_calls") ? (ArrayNode) message.get("tool_calls")
                : message.putArray("tool_calls");
        calls.addObject().put("id", id).put("type", "function").putObject("function").put("name", name)
                .put("arguments", argumentsJson);
    }

    /**
     * A {@code chat.completion} with one choice; fills in estimated usage where the upstream reported none.
     *
     * @param id the upstream's id, or null for one made from the request id
     */
    public static Buffer chatCompletion(UpstreamCall call, String id, String model, ObjectNode message,
            String finishReason) {
        long generated = message.path("content").asText("").length()
                + (message.has("tool_calls") ? message.get("tool_calls").toString().length() : 0);
        TokenEstimates.complete(call.usage(), call.request(), generated);
        ObjectNode out = Json.object().put("id", id == null ? "chatcmpl-" + call.requestId() : id)
                .put("object", "chat.completion").put("created", System.currentTimeMillis() / 1000)
                .put("model", model == null ? call.model().upstreamId() : model);
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        out.set("usage", usage(call.usage()));
        return Json.write(out);
    }

    /** OpenAI's usage object, with {@code prompt_tokens_details.cached_tokens}. */
    public static ObjectNode usage(Usage usage) {
        long prompt = Math.max(0, usage.promptTokens);
        long completion = Math.max(0, usage.completionTokens);
        ObjectNode node = Json.object().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens);
        return node;
    }
}
