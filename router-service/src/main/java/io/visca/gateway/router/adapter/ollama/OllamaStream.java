package io.visca.gateway.router.adapter.ollama;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.router.adapter.OpenAiChunkStream;
import io.visca.gateway.router.adapter.OpenAiStream;
import io.visca.gateway.router.adapter.TranslatingStream;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamErrors;

/**
 * {@link OllamaAdapter}'s stream side: Ollama's NDJSON lines from {@code /api/chat} and {@code /api/generate} as
 * OpenAI's SSE chunks ({@code chat.completion.chunk} and {@code text_completion}).
 */
final class OllamaStream {

    private OllamaStream() {
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
                String arguments = OllamaAdapter.argumentsJson(function.path("arguments"));
                generatedChars += name.length() + arguments.length();
                if (chat != null) {
                    chat.toolCall(toolCalls, "call_" + toolCalls, name, arguments);
                }
                toolCalls++;
            }
            if (node.path("done").asBoolean(false)) {
                OllamaAdapter.readUsage(call.usage(), node);
                done = true;
                out.end(OllamaAdapter.finishReason(node, toolCalls > 0));
            }
        }
    }
}
