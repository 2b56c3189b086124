package io.visca.gateway.router.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.error.OpenAiErrors;

/**
 * What OpenAI's two chunk streams share, {@link OpenAiStream} (chat completion chunks) and
 * {@link OpenAiTextCompletions.Stream} (text completion chunks): the bytes written since the last {@link #take()}, the
 * finish chunk sent once, the normal end (a usage chunk with {@code choices: []} when the client asked for one, then
 * {@code data: [DONE]}), the end with an error event, and the count of generated characters for usage estimates.
 * Subclasses say what their content and finish chunks look like.
 */
public abstract class OpenAiChunkStream {

    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    protected final UpstreamCall call;
    private final String object;
    private final long created = System.currentTimeMillis() / 1000;
    protected String id;
    protected String model;
    private Buffer out = Buffer.buffer(256);
    private boolean finished;
    private boolean ended;
    private long generatedChars;

    /**
     * @param idPrefix prefixed to the request id for the chunks' {@code id}
     * @param object the chunks' {@code object}
     */
    OpenAiChunkStream(UpstreamCall call, String idPrefix, String object) {
        this.call = call;
        this.object = object;
        this.id = idPrefix + call.requestId();
        this.model = call.model().upstreamId();
    }

    /** The stream a call's operation answers with: text completion chunks for completions, else chat chunks. */
    public static OpenAiChunkStream of(UpstreamCall call) {
        return call.operation() == Operation.COMPLETIONS ? new OpenAiTextCompletions.Stream(call)
                : new OpenAiStream(call);
    }

    /** Generated text; empty or null text sends nothing. */
    public abstract void content(String text);

    /** The chunk with {@code finishReason}, built when it is due; it may write what has to come before it. */
    protected abstract ObjectNode finishChunk(String finishReason);

    /** The chunk with the finish reason. Sent once; later calls do nothing. */
    public final void finish(String finishReason) {
        if (finished) {
            return;
        }
        ObjectNode chunk = finishChunk(finishReason);
        finished = true;
        emit(chunk);
    }

    /**
     * The normal end: the finish chunk if none was sent, the usage chunk when the client asked for it (usage estimated
     * where the upstream reported none), then {@code [DONE]}.
     */
    public final void end(String finishReason) {
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

    /** Ends the stream with an error event (the client already has the first byte, so no status can change). */
    public final void fail(GatewayError error) {
        if (ended) {
            return;
        }
        TokenEstimates.complete(call.usage(), call.request(), generatedChars);
        call.streamFailed(error);
        out.appendBuffer(OpenAiErrors.sseEvent(error));
        ended = true;
    }

    public final boolean ended() {
        return ended;
    }

    /** What was written since the last call. */
    public final Buffer take() {
        Buffer taken = out;
        out = Buffer.buffer(256);
        return taken;
    }

    /** Whether the finish chunk was sent. */
    protected final boolean finished() {
        return finished;
    }

    /** Counts generated characters (content, tool names and arguments), for usage estimates. */
    protected final void generated(long chars) {
        generatedChars += chars;
    }

    /** A chunk with {@code id}, {@code object}, {@code created} and {@code model}, and no choices yet. */
    protected final ObjectNode base() {
        return Json.object().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    /** Writes {@code chunk} as one SSE {@code data:} event. */
    protected final void emit(ObjectNode chunk) {
        out.appendString("data: ").appendBuffer(Json.write(chunk)).appendString("\n\n");
    }
}
