package io.visca.gateway.router.adapter.anthropic;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.providers.anthropic.AnthropicType;
import io.visca.gateway.router.adapter.ErrorBodies;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.OpenAiResponses;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.ProviderAdapter;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamErrors;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.adapter.Usage;
import io.visca.gateway.router.config.RouterConfig;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamRequest;

/**
 * {@code anthropic}: Anthropic's Messages API ({@code POST /v1/messages}) behind OpenAI's chat completions. Builds the
 * Messages request (system prompt on top, {@code max_tokens} always set, tools and tool results as content blocks,
 * consecutive same-role messages merged), maps the message back to a {@code chat.completion}, its SSE events to
 * {@code chat.completion.chunk}s, and its {@code {"type":"error","error":{...}}} bodies to the provider's message.
 * Chat only: Anthropic serves neither text completions nor embeddings. The request body is built by
 * {@link AnthropicRequests}, the stream mapped by {@link AnthropicStream}.
 */
@Singleton
public class AnthropicAdapter implements ProviderAdapter {

    static final String MESSAGES_PATH = "/v1/messages";

    private final int defaultMaxTokens;
    private final String version;

    @Inject
    public AnthropicAdapter(RouterConfig config) {
        this(config.anthropic().defaultMaxTokens(), config.anthropic().version());
    }

    public AnthropicAdapter(int defaultMaxTokens, String version) {
        this.defaultMaxTokens = defaultMaxTokens;
        this.version = version;
    }

    @Override
    public String type() {
        return AnthropicType.NAME;
    }

    @Override
    public boolean supports(Operation operation) {
        return operation == Operation.CHAT;
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamCall call) {
        return call.send(request(call));
    }

    /** The upstream request: {@code POST {base}/v1/messages} with {@code anthropic-version}. */
    public UpstreamRequest request(UpstreamCall call) {
        if (call.operation() != Operation.CHAT) {
            throw UpstreamErrors.unsupported(call.provider().name(), type(), call.operation());
        }
        MultiMap headers = call.jsonHeaders();
        headers.set("anthropic-version", version);
        return new UpstreamRequest(HttpMethod.POST, call.url(MESSAGES_PATH), headers, Json.write(body(call)));
    }

    // ---------------------------------------------------------------------------------------------- request

    /**
     * The Messages API body for the call's OpenAI chat request ({@link AnthropicRequests#body}).
     *
     * @throws GatewayError (400) for what the Messages API cannot express ({@code n > 1}, unknown content parts)
     */
    ObjectNode body(UpstreamCall call) {
        return AnthropicRequests.body(call, defaultMaxTokens);
    }

    // --------------------------------------------------------------------------------------------- response

    @Override
    public Buffer response(UpstreamCall call, Buffer upstreamBody) {
        JsonNode body = Json.readUpstream(call, upstreamBody);
        JsonNode content = body.path("content");
        if (!content.isArray()) {
            throw UpstreamErrors.malformed(call, "the message has no content array");
        }
        StringBuilder text = new StringBuilder();
        boolean hasText = false;
        ObjectNode message = OpenAiResponses.assistantMessage(null);
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> {
                    hasText = true;
                    text.append(block.path("text").asText(""));
                }
                case "tool_use" -> OpenAiResponses.addToolCall(message, block.path("id").asText(),
                        block.path("name").asText(), block.has("input") ? block.get("input").toString() : "{}");
                default -> {
                    // thinking, redacted_thinking, server tool blocks: nothing OpenAI's message can carry
                }
            }
        }
        boolean hasTools = message.has("tool_calls");
        if (hasText || !hasTools) {
            message.put("content", text.toString());
        }
        Tokens tokens = new Tokens();
        tokens.read(body.path("usage"));
        tokens.apply(call.usage());
        call.firstToken();
        return OpenAiResponses.chatCompletion(call, body.path("id").asText(null), body.path("model").asText(null),
                message, finishReason(body.path("stop_reason").asText(null)));
    }

    /** Anthropic's {@code stop_reason} as OpenAI's {@code finish_reason}. */
    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /**
     * Anthropic's token counts as they arrive (a stream reports input in {@code message_start} and the cumulative
     * output in each {@code message_delta}): prompt = input + cache reads + cache writes, cached = cache reads.
     */
    static final class Tokens {
        private long input = -1;
        private long cacheRead;
        private long cacheCreation;
        private long output = -1;

        void read(JsonNode usage) {
            if (!usage.isObject()) {
                return;
            }
            JsonNode value = usage.get("input_tokens");
            if (value != null && value.isNumber()) {
                input = value.asLong();
            }
            value = usage.get("cache_read_input_tokens");
            if (value != null && value.isNumber()) {
                cacheRead = value.asLong();
            }
            value = usage.get("cache_creation_input_tokens");
            if (value != null && value.isNumber()) {
                cacheCreation = value.asLong();
            }
            value = usage.get("output_tokens");
            if (value != null && value.isNumber()) {
                output = value.asLong();
            }
        }

        void apply(Usage usage) {
            if (input >= 0) {
                usage.promptTokens = input + cacheRead + cacheCreation;
                usage.cachedTokens = cacheRead;
            }
            if (output >= 0) {
                usage.completionTokens = output;
            }
        }
    }

    // ----------------------------------------------------------------------------------------------- stream

    @Override
    public StreamMapper stream(UpstreamCall call) {
        return new AnthropicStream.MessagesStream(call);
    }

    // ----------------------------------------------------------------------------------------------- errors

    @Override
    public GatewayError error(UpstreamCall call, UpstreamResponse response, Buffer body) {
        // a body that is not JSON (a proxy's page) has no provider message
        JsonNode error = ErrorBodies.json(body).path("error");
        String errorType = null;
        String message = null;
        if (error.isObject()) {
            errorType = error.path("type").asText(null);
            message = error.path("message").asText(null);
        } else if (error.isTextual()) {
            message = error.asText();
        }
        boolean overloaded = response.status() == 529 || "overloaded_error".equals(errorType);
        return UpstreamErrors.fromStatus(call, response.status(), response.headers(), message, overloaded);
    }
}
