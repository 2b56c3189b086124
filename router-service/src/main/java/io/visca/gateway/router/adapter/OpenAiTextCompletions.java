package io.visca.gateway.router.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;
import io.visca.gateway.router.proxy.GatewayError;
import io.visca.gateway.router.proxy.OpenAiErrors;

/**
 * OpenAI's legacy text completion bodies ({@code text_completion}, {@code /v1/completions}) for adapters whose
 * upstream generates from a prompt in another format: the non-streaming body, and {@link Stream}, the counterpart of
 * {@link OpenAiStream} for text completion chunks.
 */
public final class OpenAiTextCompletions {

    private OpenAiTextCompletions() {
    }

    /**
     * A {@code text_completion} with one choice; fills in estimated usage where the upstream reported none.
     *
     * @param id the upstream's id, or null for one made from the request id
     */
    public static Buffer completion(UpstreamCall call, String id, String model, String text, String finishReason) {
        TokenEstimates.complete(call.usage(), call.request(), text == null ? 0 : text.length());
        ObjectNode out = Json.object().put("id", id == null ? "cmpl-" + call.requestId() : id)
                .put("object", "text_completion").put("created", System.currentTimeMillis() / 1000)
                .put("model", model == null ? call.model().upstreamId() : model);
        out.putArray("choices").addObject().put("text", text == null ? "" : text).put("index", 0).putNull("logprobs")
                .put("finish_reason", finishReason);
        out.set("usage", OpenAiResponses.usage(call.usage()));
        return Json.write(out);
    }

    /**
     * Writes OpenAI's text completion stream: {@code text_completion} chunks with {@code choices[0].text}, the chunk
     * with the finish reason, a usage chunk ({@code choices: []}) when the client asked for one, and
     * {@code data: [DONE]}. Counts what it sends, for usage estimates.
     */
    public static final class Stream {

        private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

        private final UpstreamCall call;
        private final long created = System.currentTimeMillis() / 1000;
        private final String id;
        private final String model;
        private Buffer out = Buffer.buffer(256);
        private boolean finished;
        private boolean ended;
        private long generatedChars;

        public Stream(UpstreamCall call) {
            this.call = call;
            this.id = "cmpl-" + call.requestId();
            this.model = call.model().upstreamId();
        }

        public void content(String text) {
            if (text == null || text.isEmpty() || finished) {
                return;
            }
            call.firstToken();
            generatedChars += text.length();
            emit(chunk(text, null));
        }

        /** The chunk with the finish reason ({@code stop}, {@code length}). */
        public void finish(String finishReason) {
            if (finished) {
                return;
            }
            finished = true;
            emit(chunk("", finishReason));
        }

        /** The normal end: the finish chunk if none was sent, the usage chunk if asked for, then {@code [DONE]}. */
        public void end(String finishReason) {
            if (ended) {
                return;
            }
            finish(finishReason);
            TokenEstimates.complete(call.usage(), call.request(), generatedChars);
            if (call.clientWantsUsage()) {
                ObjectNode chunk = base();
                chunk.putArray("choices");
                chunk.set("usage", OpenAiResponses.usage(call.usage()));
                emit(chunk);
            }
            out.appendBuffer(DONE);
            ended = true;
        }

        /** Ends the stream with an error event. */
        public void fail(GatewayError error) {
            if (ended) {
                return;
            }
            TokenEstimates.complete(call.usage(), call.request(), generatedChars);
            call.streamFailed(error);
            out.appendBuffer(OpenAiErrors.sseEvent(error));
            ended = true;
        }

        public boolean ended() {
            return ended;
        }

        /** What was written since the last call. */
        public Buffer take() {
            Buffer taken = out;
            out = Buffer.buffer(256);
            return taken;
        }

        private ObjectNode base() {
            return Json.object().put("id", id).put("object", "text_completion").put("created", created)
                    .put("model", model);
        }

        private ObjectNode chunk(String text, String finishReason) {
            ObjectNode chunk = base();
            chunk.putArray("choices").addObject().put("text", text).put("index", 0).putNull("logprobs")
                    .put("finish_reason", finishReason);
            return chunk;
        }

        private void emit(ObjectNode chunk) {
            out.appendString("data: ").appendBuffer(Json.write(chunk)).appendString("\n\n");
        }
    }
}
