package io.visca.gateway.router.adapter;

import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.buffer.Buffer;

/**
 * The framing every {@link StreamMapper} that translates another stream format into OpenAI's shares: the upstream's
 * bytes are cut into events ({@link Framing#SSE} or {@link Framing#NDJSON}) across chunk boundaries, each event goes to
 * {@link #event}, which writes to the OpenAI stream {@link #out}, and what was written is returned after each chunk and
 * at the end. {@link #complete()} is whether {@link #event} saw the upstream's own end ({@link #done}). Each adapter
 * keeps only its event mapping.
 *
 * @param <W> the OpenAI stream written: {@link OpenAiStream} for chat-only mappers, any {@link OpenAiChunkStream} for
 *        mappers that serve chat and text completions
 */
public abstract class TranslatingStream<W extends OpenAiChunkStream> implements StreamMapper {

    /** How an upstream cuts its stream into events. */
    public enum Framing {
        /** Server-sent events: {@link #event} gets each event's name (null when it names none) and data. */
        SSE,
        /** One JSON object a line: {@link #event} gets a null name and each line. */
        NDJSON
    }

    protected final UpstreamCall call;
    protected final W out;
    private final SseFramer sse;
    private final LineFramer lines;
    private final SseFramer.Listener events = this::event;
    private final Consumer<String> ndjson = line -> event(null, line);
    /** The upstream stream reached its own end (else it was cut short): what {@link #complete()} says. */
    protected boolean done;
    /** {@link #end()} is delivering what the framer still held: a last event cut off there is no error event. */
    protected boolean ending;
    /** The upstream sent a line or event over the cap: the call is aborted, nothing more is read. */
    private boolean tooLong;

    protected TranslatingStream(UpstreamCall call, W out, Framing framing) {
        this.call = call;
        this.out = out;
        this.sse = framing == Framing.SSE ? new SseFramer(call.maxEventBytes()) : null;
        this.lines = framing == Framing.NDJSON ? new LineFramer(call.maxEventBytes()) : null;
    }

    @Override
    public final Buffer data(Buffer chunk) {
        if (sse != null) {
            sse.feed(chunk, events);
        } else {
            lines.feed(chunk, ndjson);
        }
        if (!tooLong && (sse != null ? sse.tooLong() : lines.tooLong())) {
            // the core sees the aborted call end the upstream response and sends the error event
            tooLong = true;
            call.abort(UpstreamErrors.eventTooLarge(call, call.maxEventBytes()));
        }
        return out.take();
    }

    @Override
    public final Buffer end() {
        ending = true;
        if (sse != null) {
            sse.finish(events);
        } else {
            lines.finish(ndjson);
        }
        upstreamEnded();
        return out.take();
    }

    @Override
    public final boolean complete() {
        return done;
    }

    /** One complete upstream event (see {@link Framing} for what {@code name} and {@code data} are). */
    protected abstract void event(String name, String data);

    /** At the end of the upstream stream, after its last event, before the rest is taken: by default nothing. */
    protected void upstreamEnded() {
    }

    /**
     * For a stream cut short (the OpenAI stream has not ended): fills the usage the upstream did not report, from the
     * request and {@code generatedChars}.
     */
    protected final void estimateUsageIfCutShort(long generatedChars) {
        if (!out.ended()) {
            TokenEstimates.complete(call.usage(), call.request(), generatedChars);
        }
    }

    /**
     * {@code data} as a JSON object, or null when it is not one: then the stream fails with a 502 saying {@code what}
     * is not JSON, unless {@link #end()} is delivering it (the last event was cut off: the stream is incomplete, which
     * the core reports).
     *
     * @param what the event, for the message ("a stream event")
     */
    protected final JsonNode readObject(String data, String what) {
        JsonNode node;
        try {
            node = Json.read(data);
        } catch (Exception e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            if (!ending) {
                out.fail(UpstreamErrors.malformed(call, what + " is not JSON"));
            }
            return null;
        }
        return node;
    }
}
