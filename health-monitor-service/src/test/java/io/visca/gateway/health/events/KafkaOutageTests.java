package io.visca.gateway.health.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.fakes.FakeOllamaServer;
import io.visca.gateway.health.testing.HealthEvents;
import io.visca.gateway.health.testing.HealthEvents.Event;
import io.visca.gateway.health.testing.MonitorApi;
import io.visca.gateway.health.testing.MonitorLog;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.health.testing.RegistryAdmin;
import io.visca.gateway.infra.test.GatewayInfraResource;

/**
 * While Kafka is down the monitor keeps probing (the endpoint goes DOWN, UP and DOWN again), the producer gives up
 * and the publisher retries with backoff; once Kafka is back, the latest status of the endpoint is on the topic.
 */
@QuarkusTest
class KafkaOutageTests {

    private static final String KEY = "hm-outage/e1";
    private static FakeOllamaServer upstream;

    @BeforeAll
    static void upstream() {
        upstream = FakeOllamaServer.start();
    }

    @AfterAll
    static void cleanUp() {
        RegistryAdmin.deleteProvider("hm-outage");
        upstream.close();
    }

    @Test
    void theLatestStatusReachesTheTopicOnceKafkaIsBack() {
        assumeTrue(GatewayInfraResource.kafkaIsEmbedded(), "needs the embedded broker to stop it");
        ProviderJson.of("hm-outage", "ollama").endpoint("e1", upstream.baseUrl()).put();
        Event up = HealthEvents.get().awaitStatus(KEY, "UP");
        long mark = MonitorLog.mark();

        GatewayInfraResource.stopKafka();
        try {
            upstream.stop();
            MonitorApi.awaitStatus("hm-outage", "e1", "DOWN");
            upstream.restart();
            MonitorApi.awaitStatus("hm-outage", "e1", "UP");
            upstream.stop();
            MonitorApi.awaitStatus("hm-outage", "e1", "DOWN");
            await().atMost(Duration.ofSeconds(30)).until(() -> unpublished() > 0);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> MonitorLog.since(mark).contains("publishing provider-health-changed "
                            + "failed"));
        } finally {
            GatewayInfraResource.startKafka();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> unpublished() == 0);
        List<Event> after = await().atMost(Duration.ofSeconds(30))
                .until(() -> HealthEvents.get().forKey(KEY).stream().filter(e -> e.offset() > up.offset()).toList(),
                        events -> !events.isEmpty() && "DOWN".equals(events.get(events.size() - 1).status()));
        Event last = after.get(after.size() - 1);
        assertEquals("UP", last.value().path("previous_status").asText());
        assertEquals("DOWN", MonitorApi.endpoint("hm-outage", "e1").status(), "the topic ends with the current truth");
        await().atMost(Duration.ofSeconds(30)).until(() -> MonitorLog.since(mark).contains("provider-health-changed events are "
                + "published again"));
    }

    private static int unpublished() {
        return MonitorApi.request().get("/api/health").then().statusCode(200).extract().path("unpublished_events");
    }
}
