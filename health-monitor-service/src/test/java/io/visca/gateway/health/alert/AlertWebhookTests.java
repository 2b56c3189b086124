package io.visca.gateway.health.alert;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.fakes.FakeOllamaServer;
import io.visca.gateway.health.testing.HealthEvents;
import io.visca.gateway.health.testing.MonitorLog;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.health.testing.RegistryAdmin;
import io.visca.gateway.health.testing.WebhookReceiver;
import io.visca.gateway.health.testing.WebhookReceiver.Delivery;

/** Each transition is POSTed to the alert webhook as the event's JSON; a refused delivery is retried. */
@QuarkusTest
class AlertWebhookTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeOllamaServer upstream;

    @BeforeAll
    static void upstream() {
        upstream = FakeOllamaServer.start();
    }

    @AfterAll
    static void cleanUp() {
        RegistryAdmin.deleteProvider("hm-alerted");
        upstream.close();
    }

    @Test
    void postsEachTransitionAndRetriesARefusedDelivery() throws IOException {
        WebhookReceiver hooks = WebhookReceiver.get();
        hooks.refuseNext("hm-alerted/e1", 2);
        ProviderJson.of("hm-alerted", "ollama").endpoint("e1", upstream.baseUrl()).put();

        List<Delivery> ups = awaitDeliveries(hooks, "UP", 3);
        assertEquals(List.of(503, 503, 204), ups.stream().map(Delivery::answeredWith).toList(),
                "refused twice, delivered on the third attempt");
        JsonNode event = HealthEvents.get().awaitStatus("hm-alerted/e1", "UP").value();
        for (Delivery d : ups) {
            assertEquals(event, JSON.readTree(d.body()), "the event as published on the topic");
            assertEquals("/hooks/health", d.path());
            assertEquals("token=hook-secret", d.query());
            assertEquals("application/json", d.contentType());
        }

        upstream.stop();
        JsonNode down = JSON.readTree(awaitDeliveries(hooks, "DOWN", 1).get(0).body());
        assertEquals("UP", down.path("previous_status").asText());
        assertEquals("hm-alerted", down.path("provider").asText());
        assertFalse(MonitorLog.all().contains("hook-secret"),
                "the webhook's path and query are never logged");
    }

    private static List<Delivery> awaitDeliveries(WebhookReceiver hooks, String status, int count) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> hooks.deliveries().stream().filter(d -> {
            JsonNode body = read(d.body());
            return "hm-alerted".equals(body.path("provider").asText()) && status.equals(body.path("status").asText());
        }).toList(), list -> list.size() >= count && list.get(list.size() - 1).answeredWith() == 204);
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
