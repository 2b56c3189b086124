package io.visca.gateway.health.registry;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.contracts.event.Topics;
import io.visca.gateway.fakes.FakeOllamaServer;
import io.visca.gateway.fakes.FakeServer;
import io.visca.gateway.health.testing.HealthEvents;
import io.visca.gateway.health.testing.HealthEvents.Event;
import io.visca.gateway.health.testing.MonitorApi;
import io.visca.gateway.health.testing.MonitorTestResource;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.health.testing.RegistryAdmin;
import io.visca.gateway.infra.test.ManagementInterface;
import io.visca.gateway.infra.test.ServiceProcess;

/**
 * The monitor probes what the registry says, as it changes: a removed endpoint, a disabled or deleted provider stop
 * being probed and get a tombstone; health checks turned off mean no probes; statuses an earlier run left for
 * endpoints that are gone are withdrawn; a registry that is down is asked again, with backoff, until it answers.
 */
@QuarkusTest
class RegistryFollowingTests {

    private static FakeOllamaServer a;
    private static FakeOllamaServer b;
    private static FakeOllamaServer unchecked;
    private static FakeOllamaServer later;

    @BeforeAll
    static void upstreams() {
        a = FakeOllamaServer.start();
        b = FakeOllamaServer.start();
        unchecked = FakeOllamaServer.start();
        later = FakeOllamaServer.start();
    }

    @AfterAll
    static void cleanUp() {
        List.of("hm-lifecycle", "hm-unchecked", "hm-after-outage").forEach(RegistryAdmin::deleteProvider);
        List.of(a, b, unchecked, later).forEach(FakeServer::close);
    }

    @Test
    void removedEndpointsAndDisabledOrDeletedProvidersAreNoLongerProbedAndWithdrawn() {
        HealthEvents events = HealthEvents.get();
        ProviderJson.of("hm-lifecycle", "ollama").endpoint("a", a.baseUrl()).endpoint("b", b.baseUrl()).put();
        events.awaitStatus("hm-lifecycle/a", "UP");
        events.awaitStatus("hm-lifecycle/b", "UP");

        ProviderJson.of("hm-lifecycle", "ollama").endpoint("a", a.baseUrl()).put();
        events.awaitTombstone("hm-lifecycle/b");
        assertNotProbed(b);
        assertEquals(List.of("a"), MonitorApi.provider("hm-lifecycle").getList("endpoints.endpoint"));

        RegistryAdmin.setEnabled("hm-lifecycle", false);
        Event disabled = events.awaitTombstone("hm-lifecycle/a");
        assertNotProbed(a);
        JsonPath view = MonitorApi.provider("hm-lifecycle");
        assertFalse(view.getBoolean("probed"));
        assertEquals("the provider is disabled: not probed", view.getString("note"));
        assertEquals(List.of(), view.getList("endpoints"));

        RegistryAdmin.setEnabled("hm-lifecycle", true);
        Event again = events.await("hm-lifecycle/a", e -> e.offset() > disabled.offset() && "UP".equals(e.status()));
        assertTrue(again.value().path("previous_status").isNull(), "probed anew: its first status is published");

        RegistryAdmin.deleteProvider("hm-lifecycle");
        events.await("hm-lifecycle/a", e -> e.offset() > again.offset() && e.tombstone());
        assertNotProbed(a);
        MonitorApi.request().get("/api/health/hm-lifecycle").then().statusCode(404);
    }

    @Test
    void providersWithHealthChecksOffAreNotProbed() {
        ProviderJson.of("hm-unchecked", "ollama").endpoint("e1", unchecked.baseUrl()).healthChecks(false).put();
        JsonPath view = await().atMost(Duration.ofSeconds(30))
                .until(() -> MonitorApi.request().get("/api/health/hm-unchecked"), r -> r.statusCode() == 200)
                .jsonPath();
        assertFalse(view.getBoolean("probed"));
        assertEquals("health_check.enabled is false: not probed", view.getString("note"));
        assertNotProbed(unchecked);
        assertEquals(List.of(), HealthEvents.get().forKey("hm-unchecked/e1"));
    }

    @Test
    void statusesAnEarlierRunLeftForEndpointsThatAreGoneAreWithdrawnAtStart() {
        HealthEvents.get().awaitTombstone(MonitorTestResource.GHOST_KEY);
    }

    @Test
    void asksAgainWithBackoffWhileTheRegistryIsDownAndFollowsItOnceBack() throws Exception {
        ServiceProcess registry = MonitorTestResource.registry();
        registry.stop();
        try {
            nudge();
            await().atMost(Duration.ofSeconds(30)).until(() -> failedFetches() >= 3);
            given().baseUri(ManagementInterface.url()).get("/q/health/ready").then().statusCode(200);
        } finally {
            registry.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> failedFetches() == 0);

        ProviderJson.of("hm-after-outage", "ollama").endpoint("e1", later.baseUrl()).put();
        MonitorApi.awaitStatus("hm-after-outage", "e1", "UP");
    }

    /** A provider-changed event, as the registry publishes one, so the monitor fetches the snapshot now. */
    private static void nudge() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.PROVIDER_CHANGED, "hm-nudge", "{\"schema_version\":1,"
                    + "\"provider\":\"hm-nudge\",\"change\":\"updated\",\"revision\":9000000000}"))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    private static int failedFetches() {
        JsonPath ready = given().baseUri(ManagementInterface.url()).get("/q/health/ready").jsonPath();
        Integer failed = ready.get("checks.find { it.name == 'registry-snapshot' }.data.failed_fetches");
        assertNull(failed == null ? "no registry-snapshot check: " + ready.prettify() : null);
        return failed;
    }

    /** Nothing reaches the fake for a while (more than two probe intervals). */
    private static void assertNotProbed(FakeOllamaServer fake) {
        fake.clearRequests();
        await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(5)).until(() -> fake.requests().isEmpty());
    }
}
