package io.visca.gateway.router.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Future;
import io.visca.gateway.contracts.event.UsageRecorded;
import io.visca.gateway.kit.json.WireNamingStrategy;
import io.visca.gateway.router.testing.RouterApi;

/**
 * The emitter with Kafka out of reach and a spool that fills: every request is handed over at once, its metrics are
 * recorded, and what does not fit is dropped and counted, never waited for.
 */
class UsageEmitterTests {

    private static final long MAX = 4096;

    @TempDir
    Path dir;

    @Test
    void aFullSpoolDropsAndCountsEventsAndRequestsNeverWaitForIt() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // nothing listens there: nothing is ever acknowledged
        UsageEmitter emitter = new UsageEmitter(config(dir, MAX, Duration.ofMillis(5)), json(), registry,
                Map.of("bootstrap.servers", "127.0.0.1:9"));
        emitter.start(null);
        try {
            for (int i = 0; i < 200; i++) {
                emitter.submit(finished("req-" + i)); // only queues: returns at once, full spool or not
            }
            UsageSpool spool = emitter.spool();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (spool.pendingEvents() + dropped(registry) < 200 && System.nanoTime() < deadline) {
                RouterApi.sleep(20);
            }
            long dropped = dropped(registry);
            assertTrue(dropped > 0, "events that did not fit were dropped and counted");
            assertEquals(200, spool.pendingEvents() + dropped, "the rest wait in the spool");
            assertEquals(200, requests(registry), "every request's metrics were recorded");
            assertTrue(spool.sizeBytes() <= MAX, spool.sizeBytes() + " bytes");
            assertEquals(dropped, emitter.dropped());
        } finally {
            emitter.stop();
        }
        try (UsageSpool reopened = UsageSpool.open(dir, MAX, 1024)) {
            assertTrue(reopened.pendingEvents() > 0, "what was spooled is still there for the next start");
        }
    }

    @Test
    void anAnswerIsReleasedOnlyOnceItsEventIsInTheSpoolFile() throws Exception {
        // fsyncs an hour apart: what the spool file holds was written, not fsynced
        UsageEmitter emitter = new UsageEmitter(config(dir, 1 << 30, Duration.ofHours(1)), json(),
                new SimpleMeterRegistry(), Map.of("bootstrap.servers", "127.0.0.1:9"));
        emitter.start(null);
        List<String> released = new CopyOnWriteArrayList<>();
        try {
            List<Future<Void>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String id = "req-" + i;
                answers.add(emitter.submit(finished(id)).onSuccess(v -> released.add(id)));
            }
            for (Future<Void> answer : answers) {
                answer.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            Set<String> inFile = eventsInSpoolFiles(dir);
            assertEquals(50, released.size());
            assertTrue(inFile.containsAll(released), "every released answer's event is in a segment file: " + inFile);
        } finally {
            emitter.stop();
        }
    }

    /** The request ids of the whole, checksummed events in the segment files: what a restart would recover. */
    private static Set<String> eventsInSpoolFiles(Path dir) throws IOException {
        Set<String> ids = new HashSet<>();
        ObjectMapper json = json();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".seg")).toList()) {
                ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
                SpoolRecords.Entry entry;
                while ((entry = SpoolRecords.decode(bytes, 0)) != null) {
                    ids.add(json.readTree(entry.value()).path("request_id").asText());
                }
            }
        }
        return ids;
    }

    private static ObjectMapper json() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .setPropertyNamingStrategy(new WireNamingStrategy());
    }

    private static long dropped(SimpleMeterRegistry registry) {
        return (long) registry.get("visca.gateway.usage.events.dropped").tag("reason", "spool_full").counter().count();
    }

    private static double requests(SimpleMeterRegistry registry) {
        var counter = registry.find("visca.gateway.requests").counter();
        return counter == null ? 0 : counter.count();
    }

    private static FinishedRequest finished(String id) {
        return new FinishedRequest(EventIds.next(), id, Instant.now(), "key-1", "chat", "m", "p", "127.0.0.1:1", "m", "m",
                false,
                FinishedRequest.SUCCESS, 200, null, null, 10, 5, 0, false,
                new Pricing.Cost(new BigDecimal("0.0000150000"), new BigDecimal("0.0000300000"),
                        new BigDecimal("0.0000450000")),
                null, "priority", List.of(new UsageRecorded.Attempt("p", "127.0.0.1:1", "m", 200, null, 1.5)), 2.5, 2.0,
                1.5, 1.0);
    }

    private static UsageConfig config(Path dir, long maxBytes, Duration fsyncInterval) {
        return new UsageConfig() {
            @Override
            public int queueCapacity() {
                return 1000;
            }

            @Override
            public int sendBatch() {
                return 10;
            }

            @Override
            public Duration shutdownGrace() {
                return Duration.ofMillis(100);
            }

            @Override
            public Spool spool() {
                return new Spool() {
                    @Override
                    public Path dir() {
                        return dir;
                    }

                    @Override
                    public MemorySize maxBytes() {
                        return new MemorySize(BigInteger.valueOf(maxBytes));
                    }

                    @Override
                    public MemorySize segmentBytes() {
                        return new MemorySize(BigInteger.valueOf(1024));
                    }

                    @Override
                    public Duration fsyncInterval() {
                        return fsyncInterval;
                    }

                    @Override
                    public boolean writeBeforeAnswer() {
                        return true;
                    }
                };
            }
        };
    }
}
