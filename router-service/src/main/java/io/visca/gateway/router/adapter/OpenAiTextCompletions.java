package io.visca.gateway.router.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;

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
     * {@code data: [DONE]}. Counts what it sends, for usage estimates. The end, the error end and the buffering are
     * {@link OpenAiChunkStream}'s.
     */
    public static final class Stream extends OpenAiChunkStream {

        public Stream(UpstreamCall call) {
            super(call, "cmpl-", "text_completion");
        }

        /** Text; none after the finish chunk. */
        @Override
        public void content(String text) {
            if (text == null || text.isEmpty() || finished()) {
                return;
            }
            call.firstToken();
            generated(text.length());
            emit(chunk(text, null));
        }

        /** The chunk with the finish reason ({@code stop}, {@code length}). */
        @Override
        protected ObjectNode finishChunk(String finishReason) {
            return chunk("", finishReason);
        }

        private ObjectNode chunk(String text, String finishReason) {
            ObjectNode chunk = base();
            chunk.putArray("choices").addObject().put("text", text).put("index", 0).putNull("logprobs")
                    .put("finish_reason", finishReason);
            return chunk;
        }
    }
}
