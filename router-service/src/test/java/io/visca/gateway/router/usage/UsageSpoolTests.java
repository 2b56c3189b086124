package io.visca.gateway.router.usage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.visca.gateway.router.usage.SpoolRecords.Entry;

/** The usage spool on a real directory: order, durability across a reopen, torn tails, checkpoints, the bound. */
class UsageSpoolTests {

    private static final long MAX = 1 << 30;
    private static final long SEGMENT = 16 << 20;

    @TempDir
    Path dir;

    @Test
    void eventsComeBackInOrderAfterAFlush() throws IOException {
        try (UsageSpool spool = UsageSpool.open(dir, MAX, SEGMENT)) {
            append(spool, 0, 10);
            assertTrue(spool.read(spool.checkpoint(), 100).entries().isEmpty(), "nothing is read before its fsync");
            spool.flush();
            assertEquals(keys(0, 10), keys(spool.read(spool.checkpoint(), 100).entries()));
            assertEquals(10, spool.pendingEvents());
            assertEquals("value-3", value(spool.read(spool.checkpoint(), 100).entries().get(3)));
        }
    }

    @Test
    void whatWasNotSentSurvivesAReopenAndIsReadFromTheCheckpoint() throws IOException {
        try (UsageSpool spool = UsageSpool.open(dir, MAX, SEGMENT)) {
            append(spool, 0, 10);
            spool.flush();
            UsageSpool.Batch sent = spool.read(spool.checkpoint(), 4);
            assertEquals(keys(0, 4), keys(sent.entries()));
            spool.commit(sent.next(), 4);
        }
        try (UsageSpool reopened = UsageSpool.open(dir, MAX, SEGMENT)) {
            assertEquals(6, reopened.pendingEvents());
            assertEquals(keys(4, 10), keys(reopened.read(reopened.checkpoint(), 100).entries()));
            append(reopened, 10, 12);
            reopened.flush();
            assertEquals(keys(4, 12), keys(reopened.read(reopened.checkpoint(), 100).entries()),
                    "new events follow the old ones, in a segment of their own");
        }
    }

    @Test
    void aCrashKeepsWhatWasFsyncedAndTheLastSavedCheckpoint() throws IOException {
        UsageSpool spool = UsageSpool.open(dir, MAX, SEGMENT);
        append(spool, 0, 5);
        spool.flush();
        UsageSpool.Batch sent = spool.read(spool.checkpoint(), 2);
        spool.commit(sent.next(), 2); // the first commit is saved at once
        append(spool, 5, 8); // buffered, never fsynced
        spool.abandon(); // the process dies

        try (UsageSpool reopened = UsageSpool.open(dir, MAX, SEGMENT)) {
            assertEquals(keys(2, 5), keys(reopened.read(reopened.checkpoint(), 100).entries()));
        }
    }

    @Test
    void eventsWrittenOutButNeverFsyncedSurviveTheProcess() throws IOException {
        UsageSpool spool = UsageSpool.open(dir, MAX, SEGMENT);
        append(spool, 0, 3);
        spool.flush();
        append(spool, 3, 7);
        spool.writeOut(); // in the OS's hands: what a request's answer waits for
        assertTrue(spool.read(spool.checkpoint(), 100).entries().size() == 3, "the reader still sees only fsynced");
        append(spool, 7, 9); // buffered in the process only
        spool.abandon(); // the process is killed

        try (UsageSpool reopened = UsageSpool.open(dir, MAX, SEGMENT)) {
            assertEquals(keys(0, 7), keys(reopened.read(reopened.checkpoint(), 100).entries()));
            assertEquals(7, reopened.pendingEvents());
        }
    }

    @Test
    void aTornLastEventIsDroppedAndTheSpoolGoesOnAfterIt() throws IOException {
        try (UsageSpool spool = UsageSpool.open(dir, MAX, SEGMENT)) {
            append(spool, 0, 5);
            spool.flush();
        }
        Path segment = segments().get(0);
        long whole = Files.size(segment);
        byte[] frame = SpoolRecords.frame("req-torn", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        Files.write(segment, Arrays.copyOf(frame, frame.length - 3), StandardOpenOption.APPEND); // a cut-short write

        try (UsageSpool reopened = UsageSpool.open(dir, MAX, SEGMENT)) {
            assertEquals(whole, Files.size(segment), "the torn tail is cut off");
            assertEquals(5, reopened.pendingEvents());
            append(reopened, 5, 7);
            reopened.flush();
            assertEquals(keys(0, 7), keys(reopened.read(reopened.checkpoint(), 100).entries()));
        }
    }

    @Test
    void aLastEventWithAWrongChecksumIsDropped() throws IOException {
        try (UsageSpool spool = UsageSpool.open(dir, MAX, SEGMENT)) {
            append(spool, 0, 3);
            spool.flush();
        }
        Path segment = segments().get(0);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 2] ^= 0x55; // a bit flip in the last event's value
        Files.write(segment, bytes);

        try (UsageSpool reopened = UsageSpool.open(dir, MAX, SEGMENT)) {
            assertEquals(keys(0, 2), keys(reopened.read(reopened.checkpoint(), 100).entries()));
        }
    }

    @Test
    void segmentsAreDeletedOnceEverythingInThemWasSent() throws IOException {
        try (UsageSpool spool = UsageSpool.open(dir, MAX, 256)) {
            append(spool, 0, 60); // 26 or 27 bytes each: several segments
            spool.flush();
            int before = segments().size();
            assertTrue(before >= 4, before + " segments");

            long position = spool.checkpoint();
            List<String> read = new ArrayList<>();
            while (read.size() < 60) {
                UsageSpool.Batch batch = spool.read(position, 7);
                read.addAll(keys(batch.entries()));
                spool.commit(batch.next(), batch.entries().size());
                position = batch.next();
            }
            assertEquals(keys(0, 60), read);
            assertEquals(1, segments().size(), "only the segment still written to is left");
            assertEquals(0, spool.pendingEvents());
            assertEquals(0, spool.pendingBytes());
            assertTrue(spool.sizeBytes() <= 256, spool.sizeBytes() + " bytes");
        }
        try (UsageSpool reopened = UsageSpool.open(dir, MAX, 256)) {
            assertTrue(reopened.read(reopened.checkpoint(), 100).entries().isEmpty(), "nothing is sent twice");
        }
    }

    @Test
    void aFullSpoolRefusesEventsUntilSentOnesAreDeleted() throws IOException {
        try (UsageSpool spool = UsageSpool.open(dir, 2048, 512)) {
            int accepted = 0;
            while (spool.append("req-" + accepted, ("value-" + accepted).getBytes(StandardCharsets.UTF_8))) {
                accepted++;
            }
            assertTrue(accepted > 20, accepted + " accepted");
            assertTrue(spool.sizeBytes() <= 2048, spool.sizeBytes() + " bytes");
            assertFalse(spool.append("req-more", "x".getBytes(StandardCharsets.UTF_8)), "still full");
            spool.flush();

            UsageSpool.Batch batch = spool.read(spool.checkpoint(), 20); // more than the first segment holds
            spool.commit(batch.next(), batch.entries().size());
            assertTrue(spool.append("req-more", "x".getBytes(StandardCharsets.UTF_8)),
                    "room again once a sent segment is deleted");
        }
    }

    @Test
    void eventsLargerThanTheBuffersComeBackWhole() throws IOException {
        byte[] large = new byte[3 << 20];
        Arrays.fill(large, (byte) 'x');
        try (UsageSpool spool = UsageSpool.open(dir, MAX, SEGMENT)) {
            append(spool, 0, 2);
            spool.append("req-large", large);
            append(spool, 2, 4);
            spool.flush();
        }
        try (UsageSpool reopened = UsageSpool.open(dir, MAX, SEGMENT)) {
            List<Entry> entries = reopened.read(reopened.checkpoint(), 100).entries();
            assertEquals(List.of("req-0", "req-1", "req-large", "req-2", "req-3"), keys(entries));
            assertArrayEquals(large, entries.get(2).value());
        }
    }

    @Test
    void oneDirectoryServesOneProcess() throws IOException {
        try (UsageSpool spool = UsageSpool.open(dir, MAX, SEGMENT)) {
            IOException refused = assertThrows(IOException.class, () -> UsageSpool.open(dir, MAX, SEGMENT));
            assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
        }
    }

    private static void append(UsageSpool spool, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            assertTrue(spool.append("req-" + i, ("value-" + i).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static List<String> keys(int from, int to) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i < to; i++) {
            keys.add("req-" + i);
        }
        return keys;
    }

    private static List<String> keys(List<Entry> entries) {
        return entries.stream().map(Entry::key).toList();
    }

    private static String value(Entry entry) {
        return new String(entry.value(), StandardCharsets.UTF_8);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }
}
