package io.visca.gateway.router.adapter;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * Splits a byte stream into lines (LF or CRLF) across chunk boundaries, decoding each complete line as UTF-8, so a
 * character split between chunks is never broken. Used for SSE and for NDJSON streams.
 */
public final class LineFramer {

    private Buffer pending;

    public void feed(Buffer chunk, Consumer<String> line) {
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
            line.accept(buffer.getString(start, end, "UTF-8"));
            start = i + 1;
        }
        pending = start >= length ? null : buffer.getBuffer(start, length);
    }

    /** The stream ended: delivers a last line that had no line end. */
    public void finish(Consumer<String> line) {
        if (pending != null && pending.length() > 0) {
            String rest = pending.toString("UTF-8");
            pending = null;
            line.accept(rest.endsWith("\r") ? rest.substring(0, rest.length() - 1) : rest);
        }
    }
}
