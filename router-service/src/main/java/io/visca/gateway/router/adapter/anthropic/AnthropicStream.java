package io.visca.gateway.router.adapter.anthropic;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.router.adapter.OpenAiStream;
import io.visca.gateway.router.adapter.TranslatingStream;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamErrors;

/**
 * {@link AnthropicAdapter}'s stream side: the Messages API's SSE events ({@code message_start},
 * {@code content_block_start}, {@code content_block_delta}, {@code message_delta}, {@code message_stop},
 * {@code error}) as OpenAI {@code chat.completion.chunk}s, and an error event's type as its HTTP status.
 */
final class AnthropicStream {

    private AnthropicStream() {
    }

    /**
     * Anthropic's SSE events as OpenAI chunks: text deltas as content, {@code tool_use} blocks as tool calls (indexed
     * by their position among the message's tool blocks), {@code message_delta} as the finish chunk, and
     * {@code message_stop} as the end. An {@code error} event fails the stream.
     */
    static final class MessagesStream extends TranslatingStream<OpenAiStream> {

        private final AnthropicAdapter.Tokens tokens = new AnthropicAdapter.Tokens();
        private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
        private String finishReason;
        private long generatedChars;

        MessagesStream(UpstreamCall call) {
            super(call, new OpenAiStream(call), Framing.SSE);
        }

        @Override
        protected void upstreamEnded() {
            estimateUsageIfCutShort(generatedChars);
        }

        @Override
        protected void event(String name, String data) {
            if (out.ended()) {
                return;
            }
            JsonNode event = readObject(data, "a stream event");
            if (event == null) {
                return;
            }
            String type = event.path("type").asText(name == null ? "" : name);
            switch (type) {
                case "message_start" -> {
                    JsonNode message = event.path("message");
                    out.id(message.path("id").asText(null)).model(message.path("model").asText(null));
                    tokens.read(message.path("usage"));
                    tokens.apply(call.usage());
                    out.start();
                }
                case "content_block_start" -> blockStart(event.path("index").asInt(), event.path("content_block"));
                case "content_block_delta" -> blockDelta(event.path("index").asInt(), event.path("delta"));
                case "message_delta" -> {
                    String stopReason = event.path("delta").path("stop_reason").asText(null);
                    if (stopReason != null) {
                        finishReason = AnthropicAdapter.finishReason(stopReason);
                        out.finish(finishReason);
                    }
                    tokens.read(event.path("usage"));
                    tokens.apply(call.usage());
                }
                case "message_stop" -> {
                    done = true;
                    out.end(finishReason == null ? "stop" : finishReason);
                }
                case "error" -> {
                    JsonNode error = event.path("error");
                    String errorType = error.path("type").asText("");
                    out.fail(UpstreamErrors.fromStatus(call, statusOf(errorType), null,
                            error.path("message").asText(null), "overloaded_error".equals(errorType)));
                }
                default -> {
                    // ping, content_block_stop, and event types added later
                }
            }
        }

        private void blockStart(int index, JsonNode block) {
            switch (block.path("type").asText()) {
                case "text" -> content(block.path("text").asText(""));
                case "tool_use" -> {
                    int toolIndex = toolIndexByBlock.size();
                    toolIndexByBlock.put(index, toolIndex);
                    String name = block.path("name").asText("");
                    generatedChars += name.length();
                    out.toolCall(toolIndex, block.path("id").asText(""), name, "");
                }
                default -> {
                    // thinking and server tool blocks have no OpenAI chunk
                }
            }
        }

        private void blockDelta(int index, JsonNode delta) {
            switch (delta.path("type").asText()) {
                case "text_delta" -> content(delta.path("text").asText(""));
                case "input_json_delta" -> {
                    Integer toolIndex = toolIndexByBlock.get(index);
                    String fragment = delta.path("partial_json").asText("");
                    if (toolIndex != null && !fragment.isEmpty()) {
                        generatedChars += fragment.length();
                        out.toolCall(toolIndex, null, null, fragment);
                    }
                }
                default -> {
                    // thinking_delta, signature_delta, citations_delta
                }
            }
        }

        private void content(String text) {
            generatedChars += text.length();
            out.content(text);
        }
    }

    /** The HTTP status Anthropic answers with for an error type (a stream's error event carries only the type). */
    static int statusOf(String errorType) {
        return switch (errorType) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }
}
