package io.visca.gateway.router.adapter;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * Splits a byte stream into lines (LF or CRLF) across chunk boundaries, decoding each complete line as UTF-8, so a
 * character split between chunks is never broken. Used for SSE and for NDJSON streams.
 * <p>
 * A line may hold at most {@code maxLineBytes} ({@code router.upstream.max-event-bytes}): past that the framer stops,
 * drops what it holds and everything fed after, and says so in {@link #tooLong()}, so an upstream that sends an
 * endless line cannot make the router buffer it.
 */
public final class LineFramer {

    /** The default of {@code router.upstream.max-event-bytes}. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    private final int maxLineBytes;
    private Buffer pending;
    private boolean tooLong;

    public LineFramer() {
        this(DEFAULT_MAX_LINE_BYTES);
    }

    public LineFramer(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    public void feed(Buffer chunk, Consumer<String> line) {
        if (tooLong) {
            return;
        }
        Buffer buffer = pending == null ? chunk : pending.appendBuffer(chunk);
        int length = buffer.length();
        io.netty.buffer.ByteBuf bytes = buffer.getByteBuf();
        int base = bytes.readerIndex();
        int start = 0;
        int lf;
        // one vectorized scan per line end instead of a bounds-checked read per byte
        while (start < length && (lf = bytes.indexOf(base + start, base + length, (byte) '\n')) >= 0) {
            int i = lf - base;
            int end = i > start && buffer.getByte(i - 1) == '\r' ? i - 1 : i;
            if (end - start > maxLineBytes) {
                stop();
                return;
            }
            line.accept(buffer.getString(start, end, "UTF-8"));
            if (tooLong) {
                return; // the consumer stopped (an SSE event grew too large)
            }
            start = i + 1;
        }
        pending = start >= length ? null : buffer.getBuffer(start, length);
        if (pending != null && pending.length() > maxLineBytes) {
            stop();
        }
    }

    /** The stream ended: delivers a last line that had no line end. */
    public void finish(Consumer<String> line) {
        if (!tooLong && pending != null && pending.length() > 0) {
            String rest = pending.toString("UTF-8");
            pending = null;
            line.accept(rest.endsWith("\r") ? rest.substring(0, rest.length() - 1) : rest);
        }
    }

    /** Whether a line was longer than the cap (nothing more is delivered). */
    public boolean tooLong() {
        return tooLong;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** Stops the framer: what it holds and everything fed later is dropped. */
    void stop() {
        tooLong = true;
        pending = null;
    }
}
