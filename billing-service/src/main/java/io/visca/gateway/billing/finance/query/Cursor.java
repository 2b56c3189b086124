package io.visca.gateway.billing.finance.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a records page ended: the last row's occurred_at (µs) and event id (unique), which order the ledger newest
 * first. On the wire it is opaque (base64url of {@code v1:<epoch µs>:<event id>}); the next page holds the rows
 * strictly after it in that order, so rows stored meanwhile never shift a page (no gaps, no repeats). A cursor given
 * out before the ledger was keyed by event id named the row's request id, which is that row's event id since the
 * migration (V2), so it still works.
 */
public record Cursor(Instant occurredAt, String eventId) {

    private static final String VERSION = "v1:";

    public String encode() {
        long micros = Math.addExact(Math.multiplyExact(occurredAt.getEpochSecond(), 1_000_000L),
                occurredAt.getNano() / 1_000);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((VERSION + micros + ":" + eventId).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code value} is not a cursor this API gave out */
    public static Cursor decode(String value) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a cursor of this API");
        }
        int colon = text.indexOf(':', VERSION.length());
        if (!text.startsWith(VERSION) || colon < 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("not a cursor of this API");
        }
        try {
            long micros = Long.parseLong(text.substring(VERSION.length(), colon));
            return new Cursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1_000L), text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a cursor of this API");
        }
    }
}
