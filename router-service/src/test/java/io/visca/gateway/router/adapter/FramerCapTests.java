package io.visca.gateway.router.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

/** The per-line and per-event caps of {@link LineFramer} and {@link SseFramer}. */
class FramerCapTests {

    @Test
    void aLineWithoutEndPastTheCapStopsTheFramerAndIsDropped() {
        LineFramer framer = new LineFramer(100);
        List<String> lines = new ArrayList<>();
        framer.feed(Buffer.buffer("ok\n" + "x".repeat(60)), lines::add);
        assertFalse(framer.tooLong());
        framer.feed(Buffer.buffer("x".repeat(60)), lines::add);
        assertTrue(framer.tooLong());
        framer.feed(Buffer.buffer("\nlater\n"), lines::add);
        framer.finish(lines::add);
        assertEquals(List.of("ok"), lines, "nothing after the cap is delivered");
    }

    @Test
    void aCompleteLineOverTheCapInOneChunkStopsItToo() {
        LineFramer framer = new LineFramer(100);
        List<String> lines = new ArrayList<>();
        framer.feed(Buffer.buffer("x".repeat(101) + "\nnext\n"), lines::add);
        assertTrue(framer.tooLong());
        assertEquals(List.of(), lines);
    }

    @Test
    void linesUpToTheCapPass() {
        LineFramer framer = new LineFramer(100);
        List<String> lines = new ArrayList<>();
        framer.feed(Buffer.buffer("y".repeat(50)), lines::add);
        framer.feed(Buffer.buffer("y".repeat(50) + "\r\n"), lines::add);
        assertFalse(framer.tooLong());
        assertEquals(List.of("y".repeat(100)), lines);
    }

    @Test
    void anSseEventOfManyDataLinesPastTheCapStopsTheFramer() {
        SseFramer framer = new SseFramer(100);
        List<String> events = new ArrayList<>();
        framer.feed(Buffer.buffer("data: small\n\n"), (name, data) -> events.add(data));
        for (int i = 0; i < 20; i++) {
            framer.feed(Buffer.buffer("data: " + "z".repeat(10) + "\n"), (name, data) -> events.add(data));
        }
        framer.finish((name, data) -> events.add(data));
        assertTrue(framer.tooLong());
        assertEquals(List.of("small"), events);
    }
}
