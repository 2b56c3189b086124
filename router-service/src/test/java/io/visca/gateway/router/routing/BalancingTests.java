package io.visca.gateway.router.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;

/**
 * Balancing across a provider's endpoints and the guards around them: the weighted split, health events from the
 * health monitor's topic, the circuit breaker, and the provider's requests-per-minute limit.
 */
@QuarkusTest
class BalancingTests {

    private static final Logger LOG = Logger.getLogger(BalancingTests.class);
    /** Far below the 30 s snapshot refresh: only the event can explain a change seen this fast. */
    private static final Duration EVENT_BOUND = Duration.ofSeconds(5);
    private static FakeOpenAiServer w1;
    private static FakeOpenAiServer w2;
    private static FakeOpenAiServer w3;
    private static FakeOpenAiServer flaky;
    private static FakeOpenAiServer steady;
    private static FakeOpenAiServer limited;
    private static FakeOpenAiServer overflow;
    private static KafkaProducer<String, String> health;

    @BeforeAll
    static void providers() {
        w1 = FakeOpenAiServer.start().models("balanced").reply("w1");
        w2 = FakeOpenAiServer.start().models("balanced").reply("w2");
        w3 = FakeOpenAiServer.start().models("balanced").reply("w3");
        flaky = FakeOpenAiServer.start().models("breaker-model").reply("flaky");
        steady = FakeOpenAiServer.start().models("breaker-model").reply("steady");
        limited = FakeOpenAiServer.start().models("limited-model").reply("limited");
        overflow = FakeOpenAiServer.start().models("limited-model").reply("overflow");
        RegistryAdmin.putProvider("""
                {"name": "weighted-ai", "type": "openai-compatible", "auth": {"auth_type": "none"},
                 "endpoints": [{"id": "w1", "base_url": "%s", "weight": 1}, {"id": "w2", "base_url": "%s", "weight": 1},
                               {"id": "w3", "base_url": "%s", "weight": 2}],
                 "models": [{"id": "balanced"}]}""".formatted(w1.baseUrl(), w2.baseUrl(), w3.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "breaker-ai", "type": "openai-compatible", "auth": {"auth_type": "none"},
                 "retry": {"max_retries": 1, "backoff_ms": 1},
                 "endpoints": [{"id": "flaky", "base_url": "%s"}, {"id": "steady", "base_url": "%s"}],
                 "models": [{"id": "breaker-model"}]}""".formatted(flaky.baseUrl(), steady.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "limited-ai", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "rate_limit": {"requests_per_minute": 2}, "models": [{"id": "limited-model"}]}"""
                .formatted(limited.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "overflow-ai", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "models": [{"id": "limited-model"}]}""".formatted(overflow.baseUrl()));
        RouterApi.awaitModel("balanced");
        RouterApi.awaitModel("breaker-model");
        RoutingTests.awaitProviders("limited-model", 2);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, GatewayInfraResource.kafkaBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        health = new KafkaProducer<>(props);
    }

    @AfterAll
    static void stop() {
        health.close(Duration.ofSeconds(5));
        for (String name : List.of("weighted-ai", "breaker-ai", "limited-ai", "overflow-ai")) {
            RegistryAdmin.deleteProvider(name);
        }
        for (FakeOpenAiServer fake : List.of(w1, w2, w3, flaky, steady, limited, overflow)) {
            fake.close();
        }
    }

    private static Response chat(String model) {
        return RouterApi.request().body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}").post("/v1/chat/completions");
    }

    private static long[] sendAndCount(String model, int requests, FakeOpenAiServer... fakes) {
        long[] before = new long[fakes.length];
        for (int i = 0; i < fakes.length; i++) {
            before[i] = RoutingTests.chatCalls(fakes[i]);
        }
        for (int i = 0; i < requests; i++) {
            Response response = chat(model);
            assertEquals(200, response.statusCode(), response.asString());
        }
        long[] counts = new long[fakes.length];
        for (int i = 0; i < fakes.length; i++) {
            counts[i] = RoutingTests.chatCalls(fakes[i]) - before[i];
        }
        return counts;
    }

    /** What the health monitor publishes on a transition (key {@code provider/endpoint}, compacted topic). */
    private static void publishHealth(String provider, String endpoint, String status) throws Exception {
        String now = Instant.now().toString();
        String event = """
                {"schema_version":1,"event_id":"%s","occurred_at":"%s","provider":"%s","endpoint":"%s","status":"%s",
                 "previous_status":null,"reason":"%s","latency_ms":null,"consecutive_failures":3,"checked_at":"%s"}"""
                .formatted(UUID.randomUUID(), now, provider, endpoint, status,
                        "DOWN".equals(status) ? "connection refused" : "HTTP 200", now);
        health.send(new ProducerRecord<>("provider-health-changed", provider + "/" + endpoint, event))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void weights1To1To2SplitFourHundredRequests100To100To200AndHealthEventsMoveTraffic() throws Exception {
        long[] split = sendAndCount("balanced", 400, w1, w2, w3);
        LOG.infof("1:1:2 split of 400 requests: %d / %d / %d", split[0], split[1], split[2]);
        assertTrue(Math.abs(split[0] - 100) <= 2 && Math.abs(split[1] - 100) <= 2 && Math.abs(split[2] - 200) <= 4,
                "split " + split[0] + "/" + split[1] + "/" + split[2]);

        publishHealth("weighted-ai", "w3", "DOWN");
        long start = System.nanoTime();
        while (true) {
            long before = RoutingTests.chatCalls(w3);
            sendAndCount("balanced", 8, w1, w2);
            if (RoutingTests.chatCalls(w3) == before) {
                break;
            }
            assertTrue(System.nanoTime() - start < EVENT_BOUND.toNanos(), "w3 still gets traffic");
        }
        Duration out = Duration.ofNanos(System.nanoTime() - start);
        long[] withoutW3 = sendAndCount("balanced", 100, w1, w2, w3);
        assertEquals(50, withoutW3[0], "w1 and w2 share equally while w3 is DOWN");
        assertEquals(50, withoutW3[1]);
        assertEquals(0, withoutW3[2]);

        publishHealth("weighted-ai", "w3", "UP");
        start = System.nanoTime();
        while (sendAndCount("balanced", 4, w1, w2, w3)[2] == 0) {
            assertTrue(System.nanoTime() - start < EVENT_BOUND.toNanos(), "w3 did not come back");
        }
        Duration back = Duration.ofNanos(System.nanoTime() - start);
        LOG.infof("health events applied after: DOWN %d ms, UP %d ms", out.toMillis(), back.toMillis());
    }

    @Test
    void readinessSaysTheEndpointsHealthWasReadFromTheTopic() throws Exception {
        publishHealth("weighted-ai", "w1", "UP");
        long start = System.nanoTime();
        while (true) {
            Response ready = RouterApi.management().get("/q/health/ready");
            for (var check : Chats.json(ready.asString()).path("checks")) {
                if (ready.statusCode() == 200 && check.path("data").path("health_events_read").asBoolean()) {
                    return;
                }
            }
            assertTrue(System.nanoTime() - start < 30_000_000_000L, "never caught up: " + ready.asString());
            RoutingTests.sleep(100);
        }
    }

    @Test
    void consecutiveFailuresOpenAnEndpointsCircuitAndATrialAfterTheCooldownClosesIt() {
        flaky.failWith(500, null);
        try {
            long[] counts = sendAndCount("breaker-model", 12, flaky, steady);
            assertEquals(5, counts[0], "the circuit opens after 5 consecutive failures");
            assertEquals(12, counts[1], "every request is served by the steady endpoint, retried there if need be");
        } finally {
            flaky.healthy();
        }
        RoutingTests.sleep(2_100); // the %test cooldown
        long[] after = sendAndCount("breaker-model", 4, flaky, steady);
        assertTrue(after[0] >= 1, "one trial succeeded and closed the circuit: back in rotation");
        assertEquals(4, after[0] + after[1]);
    }

    @Test
    void aProviderOverItsRequestsPerMinuteFallsBackToTheNext() {
        if (Instant.now().getEpochSecond() % 60 >= 50) { // the limit counts per UTC minute: all four in one
            RoutingTests.sleep((61 - Instant.now().getEpochSecond() % 60) * 1000);
        }
        String routing = "{\"strategy\":\"priority\",\"providers\":[\"limited-ai\",\"overflow-ai\"]}";
        List<String> servedBy = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Response response = RouterApi.request().body("{\"model\":\"limited-model\",\"messages\":[{\"role\":"
                    + "\"user\",\"content\":\"hi\"}],\"routing\":" + routing + "}").post("/v1/chat/completions");
            assertEquals(200, response.statusCode(), response.asString());
            servedBy.add(response.header("x-visca-provider"));
        }
        assertEquals(List.of("limited-ai", "limited-ai", "overflow-ai"), servedBy);

        Response alone = RouterApi.request().body("{\"model\":\"limited-model\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}],\"routing\":{\"providers\":[\"limited-ai\"]}}").post("/v1/chat/completions");
        assertEquals(503, alone.statusCode(), alone.asString());
        assertTrue(alone.asString().contains("requests_per_minute"), alone.asString());
    }
}
