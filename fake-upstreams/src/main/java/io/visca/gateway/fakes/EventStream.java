package io.visca.gateway.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A streamed (chunked) response body of events: SSE events or NDJSON lines. Counts what it sends and, when a break is
 * set ({@link FakeUpstream#breakStreamAfter}), closes the connection abruptly instead of sending the event after that
 * many (once those are flushed, and {@value #BREAK_PAUSE_MS} ms later, so that a client has read them), so the client
 * sees the body end without its last chunk and without the stream's terminating event. With a pacing
 * ({@link FakeUpstream#streamPacing}) each event goes out that long after the one before.
 */
final class EventStream {

    static final long BREAK_PAUSE_MS = 50;

    private final Vertx vertx;
    private final HttpServerRequest req;
    private final HttpServerResponse res;
    private final int breakAfter;
    private final long pacingMs;
    /** Events scheduled so far (paced streams). */
    private long scheduled;
    private int sent;
    private boolean closed;
    private Future<Void> lastWrite = Future.succeededFuture();

    EventStream(Vertx vertx, HttpServerRequest req, String contentType, int breakAfter, long pacingMs) {
        this.vertx = vertx;
        this.req = req;
        this.res = req.response();
        this.breakAfter = breakAfter;
        this.pacingMs = pacingMs;
        res.setStatusCode(200).putHeader("content-type", contentType).putHeader("cache-control", "no-cache")
                .setChunked(true);
    }

    /** An SSE event with an {@code event:} line. */
    static String sse(String event, String data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    /** An SSE event of data only. */
    static String sse(String data) {
        return "data: " + data + "\n\n";
    }

    /** Adds a response header; only before the first event. */
    EventStream header(String name, String value) {
        res.putHeader(name, value);
        return this;
    }

    /** True until the stream ended, broke off, or the client went away. */
    boolean open() {
        return !closed && !res.closed();
    }

    /** Sends one event (already framed). */
    void send(String frame) {
        paced(() -> write(frame));
    }

    /** Runs the write now, or (paced) one pacing after the one scheduled before it. */
    private void paced(Runnable write) {
        if (pacingMs > 0) {
            vertx.setTimer(++scheduled * pacingMs, t -> write.run());
        } else {
            write.run();
        }
    }

    private void write(String frame) {
        if (!breaking()) {
            lastWrite = res.write(frame);
            sent++;
        }
    }

    /** Sends the terminating event (already framed; may be empty) and ends the body. */
    void end(String frame) {
        paced(() -> finish(frame));
    }

    private void finish(String frame) {
        if (!breaking()) {
            closed = true;
            res.end(frame);
        }
    }

    private boolean breaking() {
        if (closed || res.closed()) {
            return true;
        }
        if (breakAfter > 0 && sent >= breakAfter) {
            closed = true;
            // closes once what was written is flushed: no terminating chunk, no terminating event
            lastWrite.onComplete(done -> vertx.setTimer(BREAK_PAUSE_MS, t -> req.connection().close()));
            return true;
        }
        return false;
    }
}
