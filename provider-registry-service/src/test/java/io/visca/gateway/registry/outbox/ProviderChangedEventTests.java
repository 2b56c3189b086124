package io.visca.gateway.registry.outbox;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.Arc;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.visca.gateway.contracts.event.ProviderChanged;
import io.visca.gateway.contracts.event.Topics;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.registry.TestApi;

/** Every change reaches the real broker as a provider-changed event, keyed by provider, in revision order. */
@QuarkusTest
class ProviderChangedEventTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private KafkaCompanion kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaCompanion(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    private ConsumerTask<String, String> consume() {
        return kafka.consumeStrings().withGroupId("test-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(Topics.PROVIDER_CHANGED);
    }

    /** Waits until the events keyed {@code key} number {@code count}; returns their values. */
    private static List<JsonNode> awaitEvents(ConsumerTask<String, String> task, String key, int count) {
        return awaitEvents(task, key, 0, count);
    }

    /** Waits until the events keyed {@code key} with a revision above {@code after} number {@code count}. */
    private static List<JsonNode> awaitEvents(ConsumerTask<String, String> task, String key, long after, int count) {
        return awaitEvents(task, key, after, count, Duration.ofSeconds(15));
    }

    private static List<JsonNode> awaitEvents(ConsumerTask<String, String> task, String key, long after, int count,
            Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<JsonNode> mine = List.of();
        while (System.nanoTime() < deadline) {
            mine = task.getRecords().stream().filter(r -> key.equals(r.key())).map(r -> read(r.value()))
                    .filter(e -> e.path("revision").asLong() > after).toList();
            if (mine.size() >= count) {
                return mine;
            }
            sleep();
        }
        throw new AssertionError("expected " + count + " events keyed " + key + " after revision " + after + ", got "
                + mine);
    }

    @Test
    void publishesEachChangeOfAProviderInOrder() {
        try (ConsumerTask<String, String> events = consume()) {
            String name = uniqueName("events");
            TestApi.create(TestApi.openAiProvider(name, "${TEST_API_KEY}"));
            admin().body(TestApi.openAiProvider(name, "${OTHER_API_KEY}")).put("/api/providers/" + name).then().statusCode(200);
            admin().body("{\"enabled\":false}").patch("/api/providers/" + name).then().statusCode(200);
            admin().body("{\"enabled\":true}").patch("/api/providers/" + name).then().statusCode(200);
            admin().delete("/api/providers/" + name).then().statusCode(204);

            List<JsonNode> received = awaitEvents(events, name, 5);
            assertEquals(List.of("created", "updated", "disabled", "enabled", "deleted"),
                    received.stream().map(e -> e.path("change").asText()).toList());
            for (int i = 1; i < received.size(); i++) {
                assertTrue(received.get(i).path("revision").asLong() > received.get(i - 1).path("revision").asLong(),
                        "revisions grow: " + received);
            }
            JsonNode created = received.get(0);
            assertEquals(ProviderChanged.SCHEMA_VERSION, created.path("schema_version").asInt());
            assertEquals(name, created.path("provider").asText());
            assertTrue(created.path("event_id").asText().length() >= 32, created.toString());
            assertTrue(created.path("occurred_at").isTextual(), created.toString());
        }
    }

    @Test
    void carriesTheRevisionTheSnapshotHasAfterTheChange() {
        try (ConsumerTask<String, String> events = consume()) {
            long before = snapshotRevision();
            String name = uniqueName("events-rev");
            TestApi.create(TestApi.openAiProvider(name, "${TEST_API_KEY}"));
            long after = snapshotRevision();
            assertEquals(before + 1, after);
            JsonNode event = awaitEvents(events, name, 1).get(0);
            assertEquals(after, event.path("revision").asLong());
            assertEquals("created", event.path("change").asText());
        }
    }

    @Test
    void changesMadeWhileKafkaIsDownArePublishedInOrderOnceItIsBack() {
        assumeTrue(GatewayInfraResource.kafkaIsEmbedded(), "needs the embedded broker to stop it");
        String name = uniqueName("outage");
        GatewayInfraResource.stopKafka();
        try {
            TestApi.create(TestApi.openAiProvider(name, "${TEST_API_KEY}"));
            admin().body("{\"enabled\":false}").patch("/api/providers/" + name).then().statusCode(200);
            sleepMillis(1_500);
            assertTrue(OutboxProbe.pending() >= 2, "the outbox keeps the changes while Kafka is down");
        } finally {
            GatewayInfraResource.startKafka();
        }
        try (ConsumerTask<String, String> events = consume()) {
            List<JsonNode> received = awaitEvents(events, name, 0, 2, Duration.ofSeconds(60));
            assertEquals(List.of("created", "disabled"), received.stream().map(e -> e.path("change").asText())
                    .toList());
        }
    }

    private static long snapshotRevision() {
        return TestApi.service().get("/internal/snapshot").then().statusCode(200).extract().jsonPath()
                .getLong("revision");
    }

    @Test
    void publishesKeyChangesUnderTheApiKeysKey() {
        try (ConsumerTask<String, String> events = consume()) {
            long before = snapshotRevision();
            String id = admin().body("{\"name\":\"evented\"}").post("/api/keys").then().statusCode(201).extract()
                    .path("id");
            admin().delete("/api/keys/" + id).then().statusCode(204);
            List<JsonNode> received = awaitEvents(events, ProviderChanged.API_KEYS_KEY, before, 2);
            assertEquals(List.of(before + 1, before + 2), received.stream().map(e -> e.path("revision").asLong())
                    .toList());
            for (JsonNode event : received) {
                assertEquals("api_keys_changed", event.path("change").asText());
                assertEquals(ProviderChanged.API_KEYS_KEY, event.path("provider").asText());
            }
        }
    }

    @Test
    void publishesRoutingChangesUnderTheRoutingKeyWithTheNewRevision() {
        try (ConsumerTask<String, String> events = consume()) {
            long before = snapshotRevision();
            String model = uniqueName("routed-model");
            admin().body("{\"strategy\":\"round-robin\"}").put("/api/routing/models/" + model).then().statusCode(200);
            admin().delete("/api/routing/models/" + model).then().statusCode(204);
            assertEquals(before + 2, snapshotRevision());
            List<JsonNode> received = awaitEvents(events, ProviderChanged.ROUTING_KEY, before, 2);
            assertEquals(List.of(before + 1, before + 2), received.stream().map(e -> e.path("revision").asLong())
                    .toList());
            for (JsonNode event : received) {
                assertEquals("routing_changed", event.path("change").asText());
                assertEquals(ProviderChanged.ROUTING_KEY, event.path("provider").asText());
                assertEquals(ProviderChanged.SCHEMA_VERSION, event.path("schema_version").asInt());
            }
        }
    }

    @Test
    void publishesAndEmptiesTheOutboxWellUnderASecondAfterTheCommit() {
        awaitEmptyOutbox(Duration.ofSeconds(10));
        try (ConsumerTask<String, String> events = consume()) {
            String name = uniqueName("events-outbox");
            TestApi.create(TestApi.openAiProvider(name, "${TEST_API_KEY}"));
            // the schedule alone would take up to registry.outbox.poll-interval (5 s): this needs the trigger
            awaitEmptyOutbox(Duration.ofMillis(1500));
            awaitEvents(events, name, 1);
        }
    }

    private static void awaitEmptyOutbox(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        long pending;
        do {
            pending = OutboxProbe.pending();
            if (pending == 0) {
                return;
            }
            sleep();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("outbox still holds " + pending + " rows after " + within.toMillis() + " ms");
    }

    private static JsonNode read(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + value, e);
        }
    }

    private static void sleep() {
        sleepMillis(50);
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Counts outbox rows through the application's own repository. */
    static final class OutboxProbe {
        static long pending() {
            try {
                OutboxRepository repository = Arc.container().instance(OutboxRepository.class).get();
                return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(repository::count));
            } catch (Throwable e) {
                throw new AssertionError(e);
            }
        }
    }
}
