package io.visca.gateway.router.adapter;

import io.vertx.core.buffer.Buffer;

/**
 * Splits a server-sent events byte stream into events, across chunk boundaries (a chunk may end mid-line or
 * mid-character): {@code event:} and {@code data:} fields, multi-line data joined with newlines, comments skipped,
 * LF or CRLF line ends. An event (its lines, or its data lines together) may hold at most
 * {@code router.upstream.max-event-bytes}: past that the framer stops and says so in {@link #tooLong()}.
 */
public final class SseFramer {

    /** Receives each complete event; {@code event} is null when the event named none. */
    public interface Listener {
        void event(String event, String data);
    }

    private final LineFramer lines;
    private final int maxEventChars;
    private String event;
    private StringBuilder data;

    public SseFramer() {
        this(LineFramer.DEFAULT_MAX_LINE_BYTES);
    }

    public SseFramer(int maxEventBytes) {
        this.lines = new LineFramer(maxEventBytes);
        this.maxEventChars = maxEventBytes;
    }

    /** Whether a line or an event was longer than the cap (nothing more is delivered). */
    public boolean tooLong() {
        return lines.tooLong();
    }

    public int maxEventBytes() {
        return lines.maxLineBytes();
    }

    public void feed(Buffer chunk, Listener listener) {
        lines.feed(chunk, line -> line(line, listener));
    }

    /** The stream ended: delivers an event that was not followed by a blank line. */
    public void finish(Listener listener) {
        lines.finish(line -> line(line, listener));
        if (!lines.tooLong()) {
            dispatch(listener);
        }
    }

    private void line(String line, Listener listener) {
        if (line.isEmpty()) {
            dispatch(listener);
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (!value.isEmpty() && value.charAt(0) == ' ') {
            value = value.substring(1);
        }
        if ("data".equals(field)) {
            if (data == null) {
                data = new StringBuilder(value);
            } else {
                data.append('\n').append(value);
            }
            if (data.length() > maxEventChars) {
                data = null;
                event = null;
                lines.stop();
            }
        } else if ("event".equals(field)) {
            event = value;
        }
    }

    private void dispatch(Listener listener) {
        if (data != null) {
            String name = event;
            String payload = data.toString();
            event = null;
            data = null;
            listener.event(name, payload);
        } else {
            event = null;
        }
    }
}
