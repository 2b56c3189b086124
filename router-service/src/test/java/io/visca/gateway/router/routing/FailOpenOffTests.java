package io.visca.gateway.router.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.FailOpenOff;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;

/**
 * With {@code ROUTER_ROUTING_FAIL_OPEN=false} a request none of whose candidates has a healthy endpoint is a 503
 * naming each endpoint's verdict, as before failing open existed, although the upstream would serve it.
 */
@QuarkusTest
@TestProfile(FailOpenOff.class)
class FailOpenOffTests {

    private static FakeOpenAiServer upstream;
    private static KafkaProducer<String, String> health;

    @BeforeAll
    static void provider() {
        upstream = FakeOpenAiServer.start().models("fail-closed-model").reply("never");
        RegistryAdmin.putProvider("""
                {"name": "fail-closed-ai", "type": "openai-compatible", "auth": {"auth_type": "none"},
                 "endpoints": [{"id": "only", "base_url": "%s"}], "models": [{"id": "fail-closed-model"}]}"""
                .formatted(upstream.baseUrl()));
        RouterApi.awaitModel("fail-closed-model");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, GatewayInfraResource.kafkaBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        health = new KafkaProducer<>(props);
    }

    @AfterAll
    static void stop() throws Exception {
        health.send(new ProducerRecord<>("provider-health-changed", "fail-closed-ai/only", null))
                .get(10, TimeUnit.SECONDS);
        health.close(Duration.ofSeconds(5));
        RegistryAdmin.deleteProvider("fail-closed-ai");
        upstream.close();
    }

    private static Response chat() {
        return RouterApi.request().body("{\"model\":\"fail-closed-model\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}").post("/v1/chat/completions");
    }

    @Test
    void everyEndpointDownIsA503WhenFailingOpenIsOff() throws Exception {
        assertEquals(200, chat().statusCode());
        String now = Instant.now().toString();
        health.send(new ProducerRecord<>("provider-health-changed", "fail-closed-ai/only", """
                {"schema_version":1,"event_id":"%s","occurred_at":"%s","provider":"fail-closed-ai","endpoint":"only",
                 "status":"DOWN","previous_status":"UP","reason":"GET /v1/health answered HTTP 404","latency_ms":2,
                 "consecutive_failures":3,"checked_at":"%s"}""".formatted(UUID.randomUUID(), now, now)))
                .get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Response response = chat();
        while (response.statusCode() == 200 && System.nanoTime() < deadline) {
            assertNull(response.header("x-visca-health"), "never failing open");
            RoutingTests.sleep(25);
            response = chat();
        }
        assertEquals(503, response.statusCode(), response.asString());
        assertNull(response.header("x-visca-health"));
        String message = Chats.json(response.asString()).path("error").path("message").asText();
        assertEquals("no_available_provider", Chats.json(response.asString()).path("error").path("code").asText());
        assertTrue(message.contains("only: DOWN by the health monitor (GET /v1/health answered HTTP 404)"), message);
        long calls = RoutingTests.chatCalls(upstream);
        for (int i = 0; i < 5; i++) {
            assertEquals(503, chat().statusCode());
        }
        assertEquals(calls, RoutingTests.chatCalls(upstream), "nothing is sent");
    }
}
