package io.visca.gateway.router.adapter.openai;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.visca.gateway.providers.openai.OpenAiCompatibleType;
import io.visca.gateway.router.adapter.ErrorBodies;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.OpenAiResponses;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.ProviderAdapter;
import io.visca.gateway.router.adapter.SseFramer;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.TokenEstimates;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamErrors;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.adapter.Usage;
import io.visca.gateway.router.error.GatewayError;

/**
 * {@code openai-compatible}: OpenAI, vLLM, TGI's {@code /v1}, LocalAI, LM Studio, Together, Hugging Face's router. The
 * client's body goes upstream as sent (unknown fields included), byte for byte unless the model id maps to an
 * {@code upstream_model} or a stream needs {@code stream_options.include_usage} to report usage. Responses pass
 * through unchanged; usage is read from them on the way.
 */
@Singleton
public class OpenAiCompatibleAdapter implements ProviderAdapter {

    @Override
    public String type() {
        return OpenAiCompatibleType.NAME;
    }

    @Override
    public boolean supports(Operation operation) {
        return true;
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamCall call) {
        boolean askUsage = call.stream() && !call.clientWantsUsage() && !call.provider().streamOptionsRejected();
        Future<UpstreamResponse> sent = call.postJson(path(call.operation()), body(call, askUsage));
        if (!askUsage) {
            return sent;
        }
        // Some OpenAI-compatible servers reject stream_options: learn it once per provider and ask again without.
        return sent.compose(response -> {
            if (response.status() != 400) {
                return Future.succeededFuture(response);
            }
            return response.live().body().compose(errorBody -> {
                if (!errorBody.toString().contains("stream_options")) {
                    return Future.succeededFuture(UpstreamResponse.read(response.status(), response.headers(),
                            errorBody));
                }
                call.provider().rejectStreamOptions();
                return call.postJson(path(call.operation()), body(call, false));
            });
        });
    }

    static String path(Operation operation) {
        return switch (operation) {
            case CHAT -> "/chat/completions";
            case COMPLETIONS -> "/completions";
            case EMBEDDINGS -> "/embeddings";
        };
    }

    private static Buffer body(UpstreamCall call, boolean askUsage) {
        String upstreamModel = call.model().upstreamId();
        boolean renamed = !upstreamModel.equals(call.request().path("model").asText());
        if (!renamed && !askUsage) {
            return call.rawRequest();
        }
        ObjectNode body = call.request().deepCopy();
        body.put("model", upstreamModel);
        if (askUsage) {
            body.withObject("/stream_options").put("include_usage", true);
        }
        return Json.write(body);
    }

    @Override
    public Buffer response(UpstreamCall call, Buffer upstreamBody) {
        // The body goes to the client as it came: only its top-level "usage" is read, without building a tree.
        JsonNode usage = Json.topLevelField(call, upstreamBody, "usage");
        readUsage(call.usage(), usage);
        if (!call.usage().complete()) {
            JsonNode choice = Json.readUpstream(call, upstreamBody).path("choices").path(0);
            long generated = choice.has("message") ? Json.text(choice.path("message").path("content")).length()
                    : choice.path("text").asText("").length();
            TokenEstimates.complete(call.usage(), call.request(), generated);
        }
        call.firstToken();
        return upstreamBody;
    }

    static void readUsage(Usage usage, JsonNode node) {
        if (!node.isObject()) {
            return;
        }
        if (node.has("prompt_tokens")) {
            usage.promptTokens = node.path("prompt_tokens").asLong();
            usage.completionTokens = node.path("completion_tokens").asLong(0);
        }
        usage.cachedTokens = node.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        JsonNode cost = node.get("cost");
        if (cost != null && cost.isNumber()) {
            usage.reportedCost = cost.decimalValue();
        }
    }

    @Override
    public StreamMapper stream(UpstreamCall call) {
        return new PassThroughStream(call);
    }

    @Override
    public GatewayError error(UpstreamCall call, UpstreamResponse response, Buffer body) {
        return UpstreamErrors.fromStatus(call, response.status(), response.headers(),
                ErrorBodies.openAiMessage(ErrorBodies.json(body)), false);
    }

    /**
     * Forwards OpenAI SSE events as they come; reads the usage chunk, and drops it when only the gateway asked for
     * it. Events are not re-serialized.
     */
    static final class PassThroughStream implements StreamMapper {

        private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");
        private final UpstreamCall call;
        private final SseFramer framer;
        private final SseFramer.Listener listener = this::event;
        private Buffer out;
        private long generatedChars;
        private boolean usageSeen;
        private boolean done;

        PassThroughStream(UpstreamCall call) {
            this.call = call;
            this.framer = new SseFramer(call.maxEventBytes());
        }

        @Override
        public Buffer data(Buffer chunk) {
            out = Buffer.buffer(chunk.length() + 16);
            boolean wasTooLong = framer.tooLong();
            framer.feed(chunk, listener);
            if (!wasTooLong && framer.tooLong()) {
                // the core sees the aborted call end the upstream response and sends the error event
                call.abort(UpstreamErrors.eventTooLarge(call, call.maxEventBytes()));
            }
            return out;
        }

        @Override
        public Buffer end() {
            out = Buffer.buffer();
            framer.finish(listener);
            if (!done) {
                TokenEstimates.complete(call.usage(), call.request(), generatedChars);
            }
            return out;
        }

        @Override
        public boolean complete() {
            return done;
        }

        private void event(String name, String data) {
            if (done) {
                return;
            }
            if ("[DONE]".equals(data)) {
                done = true;
                if (!usageSeen) {
                    TokenEstimates.complete(call.usage(), call.request(), generatedChars);
                    if (call.clientWantsUsage()) {
                        ObjectNode chunk = Json.object().put("object", "chat.completion.chunk");
                        chunk.putArray("choices");
                        chunk.set("usage", OpenAiResponses.usage(call.usage()));
                        out.appendString("data: ").appendBuffer(Json.write(chunk)).appendString("\n\n");
                    }
                }
                out.appendBuffer(DONE);
                return;
            }
            if (data.contains("\"usage\":{") && readUsageChunk(data)) {
                return;
            }
            generatedChars += generated(data);
            if (name != null) {
                out.appendString("event: ").appendString(name).appendString("\n");
            }
            out.appendString("data: ").appendString(data).appendString("\n\n");
        }

        /** @return true when the chunk is only usage the client did not ask for (dropped) */
        private boolean readUsageChunk(String data) {
            try {
                JsonNode chunk = Json.read(data);
                if (chunk.path("usage").isObject()) {
                    readUsage(call.usage(), chunk.path("usage"));
                    usageSeen = call.usage().complete();
                }
                return !call.clientWantsUsage() && chunk.path("choices").isArray()
                        && chunk.path("choices").isEmpty();
            } catch (Exception e) {
                return false;
            }
        }

        /** Characters of generated content or tool call arguments in a chunk, found without parsing it. */
        private long generated(String data) {
            long count = stringLength(data, "\"content\":\"") + stringLength(data, "\"arguments\":\"")
                    + stringLength(data, "\"text\":\"");
            if (count > 0) {
                call.firstToken();
            }
            return count;
        }

        private static int stringLength(String data, String key) {
            int at = data.indexOf(key);
            if (at < 0) {
                return 0;
            }
            int start = at + key.length();
            for (int i = start; i < data.length(); i++) {
                char c = data.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    return i - start;
                }
            }
            return 0;
        }
    }
}
