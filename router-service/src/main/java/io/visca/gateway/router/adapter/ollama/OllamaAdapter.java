package io.visca.gateway.router.adapter.ollama;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.providers.ollama.OllamaType;
import io.visca.gateway.router.adapter.ErrorBodies;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.OpenAiResponses;
import io.visca.gateway.router.adapter.OpenAiTextCompletions;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.ProviderAdapter;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.TokenEstimates;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamErrors;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.adapter.Usage;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamRequest;

/**
 * {@code ollama}: Ollama's native API behind OpenAI's. Chat completions go to {@code POST /api/chat}, text
 * completions to {@code POST /api/generate}, embeddings to {@code POST /api/embed}; sampling parameters move into
 * {@code options}, {@code response_format} into {@code format}, image data URLs into {@code images}, and
 * {@code stream} is always sent (Ollama streams when it is absent). Streams are NDJSON lines, mapped to OpenAI's SSE
 * chunks; usage comes from {@code prompt_eval_count} and {@code eval_count}. Errors are {@code {"error":"..."}}.
 * The request bodies are built by {@link OllamaRequests}, the streams mapped by {@link OllamaStream}.
 */
@Singleton
public class OllamaAdapter implements ProviderAdapter {

    static final String CHAT_PATH = "/api/chat";
    static final String GENERATE_PATH = "/api/generate";
    static final String EMBED_PATH = "/api/embed";

    @Override
    public String type() {
        return OllamaType.NAME;
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
    public UpstreamRequest request(UpstreamCall call) {
        MultiMap headers = call.jsonHeaders();
        if (call.stream() && call.operation() != Operation.EMBEDDINGS) {
            headers.set("accept", "application/x-ndjson, application/json");
        }
        return switch (call.operation()) {
            case CHAT -> new UpstreamRequest(HttpMethod.POST, call.url(CHAT_PATH), headers,
                    Json.write(OllamaRequests.chatBody(call)));
            case COMPLETIONS -> new UpstreamRequest(HttpMethod.POST, call.url(GENERATE_PATH), headers,
                    Json.write(OllamaRequests.generateBody(call)));
            case EMBEDDINGS -> new UpstreamRequest(HttpMethod.POST, call.url(EMBED_PATH), headers,
                    Json.write(OllamaRequests.embedBody(call)));
        };
    }

    // ---------------------------------------------------------------------------------------------- request

    /** The {@code /api/chat} body ({@link OllamaRequests#chatBody}). */
    static ObjectNode chatBody(UpstreamCall call) {
        return OllamaRequests.chatBody(call);
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
    static String argumentsJson(JsonNode arguments) {
        if (arguments.isTextual()) {
            return arguments.asText();
        }
        return arguments.isMissingNode() || arguments.isNull() ? "{}" : arguments.toString();
    }

    /** Ollama's {@code done_reason} as OpenAI's {@code finish_reason}; a call that called tools ends in tool_calls. */
    static String finishReason(JsonNode body, boolean calledTools) {
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
        return new OllamaStream.NdjsonStream(call);
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
