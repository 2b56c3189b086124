package io.visca.gateway.router.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.router.testing.RouterApi;
import io.visca.gateway.router.testing.UsageTopic;

/**
 * The sender against the real broker: what it could not send while Kafka was down survives a restart of the router
 * (the spool closed and opened again by new instances) and is sent in order, once Kafka is back; what Kafka had
 * acknowledged before is not sent again.
 */
class UsageSenderTests {

    private static final long MAX = 1 << 30;

    @TempDir
    Path dir;

    @Test
    void eventsThatWaitedForKafkaAreSentInOrderAfterARestart() throws Exception {
        String servers = GatewayInfraResource.kafkaBootstrapServers();
        if (!GatewayInfraResource.kafkaIsEmbedded()) {
            return; // an external broker cannot be stopped from here
        }
        String topic = "usage-sender-tests-" + UUID.randomUUID();
        Map<String, Object> kafka = Map.of("bootstrap.servers", servers);
        List<String> keys = new ArrayList<>();

        UsageSpool spool = UsageSpool.open(dir, MAX, 4096);
        UsageSender sender = new UsageSender(spool, kafka, topic, 7, n -> {
        });
        Thread sending = start(sender);
        append(spool, keys, 10);
        awaitSent(spool);

        GatewayInfraResource.stopKafka();
        try {
            append(spool, keys, 20);
            RouterApi.sleep(500); // the sender is trying
            sender.stop(Duration.ofMillis(500));
            assertTrue(!sending.isAlive(), "the sender stopped");
            spool.close(); // the router stops
        } finally {
            GatewayInfraResource.startKafka();
        }

        UsageSpool reopened = UsageSpool.open(dir, MAX, 4096); // and starts again
        assertEquals(20, reopened.pendingEvents());
        UsageSender again = new UsageSender(reopened, kafka, topic, 7, n -> {
        });
        start(again);
        try (UsageTopic read = new UsageTopic(topic)) {
            read.awaitAll(keys, Duration.ofSeconds(120));
            awaitSent(reopened);
            read.pollFor(Duration.ofSeconds(1));
            assertEquals(keys, read.keys(), "each event once, in order");
        } finally {
            again.stop(Duration.ofSeconds(1));
            reopened.close();
        }
    }

    private static Thread start(UsageSender sender) {
        Thread thread = new Thread(sender, "usage-sender-test");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void append(UsageSpool spool, List<String> keys, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            String key = "req-" + keys.size();
            assertTrue(spool.append(key, ("{\"request_id\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8)));
            keys.add(key);
        }
        spool.flush();
    }

    private static void awaitSent(UsageSpool spool) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (spool.pendingEvents() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(spool.pendingEvents() + " events still unsent");
            }
            RouterApi.sleep(50);
        }
    }
}
