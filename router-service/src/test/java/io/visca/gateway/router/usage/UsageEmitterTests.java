package io.visca.gateway.router.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import io.visca.gateway.contracts.event.UsageRecorded;
import io.visca.gateway.router.config.WireNamingStrategy;
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
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .setPropertyNamingStrategy(new WireNamingStrategy());
        // nothing listens there: nothing is ever acknowledged
        UsageEmitter emitter = new UsageEmitter(config(dir), json, registry, Map.of("bootstrap.servers", "127.0.0.1:9"));
        emitter.start(null);
        try {
            for (int i = 0; i < 200; i++) {
                emitter.on(finished("req-" + i)); // only queues: returns at once, full spool or not
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

    private static long dropped(SimpleMeterRegistry registry) {
        return (long) registry.get("visca.gateway.usage.events.dropped").tag("reason", "spool_full").counter().count();
    }

    private static double requests(SimpleMeterRegistry registry) {
        var counter = registry.find("visca.gateway.requests").counter();
        return counter == null ? 0 : counter.count();
    }

    private static FinishedRequest finished(String id) {
        return new FinishedRequest(id, Instant.now(), "key-1", "chat", "m", "p", "127.0.0.1:1", "m", "m", false,
                FinishedRequest.SUCCESS, 200, null, null, 10, 5, 0, false,
                new Pricing.Cost(new BigDecimal("0.0000150000"), new BigDecimal("0.0000300000"),
                        new BigDecimal("0.0000450000")),
                null, "priority", List.of(new UsageRecorded.Attempt("p", "127.0.0.1:1", "m", 200, null, 1.5)), 2.5, 2.0,
                1.5, 1.0);
    }

    private static UsageConfig config(Path dir) {
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
                        return new MemorySize(BigInteger.valueOf(MAX));
                    }

                    @Override
                    public MemorySize segmentBytes() {
                        return new MemorySize(BigInteger.valueOf(1024));
                    }

                    @Override
                    public Duration fsyncInterval() {
                        return Duration.ofMillis(5);
                    }
                };
            }
        };
    }
}
