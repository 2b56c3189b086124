package io.visca.gateway.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.contracts.event.Topics;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.health.testing.HealthEvents;
import io.visca.gateway.health.testing.MonitorApi;
import io.visca.gateway.health.testing.MonitorApi.Endpoint;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.health.testing.RegistryAdmin;
import io.visca.gateway.infra.test.ManagementInterface;

/**
 * An endpoint that stops answering is DOWN after exactly {@code failure_threshold} failed probes, and UP again after
 * {@code success_threshold} good ones once it is back; each transition, and the first status after start, is on the
 * compacted {@code provider-health-changed} topic, keyed {@code provider/endpoint}.
 */
@QuarkusTest
class ProbeTransitionsTests {

    private static final String PROVIDER = "hm-flappy";
    private static final String KEY = PROVIDER + "/replica-1";
    private static FakeOpenAiServer upstream;

    @BeforeAll
    static void upstream() {
        upstream = FakeOpenAiServer.start();
    }

    @AfterAll
    static void cleanUp() {
        RegistryAdmin.deleteProvider(PROVIDER);
        upstream.close();
    }

    @Test
    void goesDownAfterFailureThresholdFailedProbesAndUpAfterSuccessThresholdGoodOnes() throws Exception {
        ProviderJson.of(PROVIDER, "openai-compatible").endpoint("replica-1", upstream.baseUrl()).probe(1, 3, 2).put();
        HealthEvents events = HealthEvents.get();

        JsonNode first = events.awaitStatus(KEY, "UP").value();
        assertTrue(first.path("previous_status").isNull(), "the first status after start has no previous: " + first);
        assertEquals(1, first.path("schema_version").asInt());
        assertEquals(PROVIDER, first.path("provider").asText());
        assertEquals("replica-1", first.path("endpoint").asText());
        assertEquals("GET /v1/models answered HTTP 200", first.path("reason").asText());
        assertEquals(0, first.path("consecutive_failures").asInt());
        assertTrue(first.path("latency_ms").isIntegralNumber(), first.toString());
        assertTrue(first.path("event_id").asText().length() >= 32, first.toString());
        assertTrue(first.path("occurred_at").asText().endsWith("Z"), first.toString());
        assertTrue(first.path("checked_at").asText().endsWith("Z"), first.toString());
        assertEquals(2, MonitorApi.endpoint(PROVIDER, "replica-1").transitions().get(0).get("consecutive_successes"),
                "UP from UNKNOWN took success_threshold good probes");

        upstream.stop();
        List<Endpoint> seen = new CopyOnWriteArrayList<>();
        MonitorApi.awaitEndpoint(PROVIDER, "replica-1", e -> {
            seen.add(e);
            return "DOWN".equals(e.status());
        });
        for (Endpoint e : seen) {
            if (e.consecutiveFailures() > 0 && e.consecutiveFailures() < 3) {
                assertEquals("UP", e.status(), "still UP after " + e.consecutiveFailures() + " failed probes");
            }
        }
        JsonNode down = events.awaitStatus(KEY, "DOWN").value();
        assertEquals("UP", down.path("previous_status").asText());
        assertEquals(3, down.path("consecutive_failures").asInt(), "DOWN at exactly the third failed probe");
        assertTrue(down.path("reason").asText().startsWith("GET /v1/models: connection refused"), down.toString());
        assertEquals("0.0", endpointUpGauge(), "the status gauge says DOWN");

        upstream.restart();
        JsonNode up = events.await(KEY, e -> "UP".equals(e.status()) && !e.value().path("previous_status").isNull())
                .value();
        assertEquals("DOWN", up.path("previous_status").asText());
        assertEquals(0, up.path("consecutive_failures").asInt());
        assertEquals("1.0", endpointUpGauge(), "the status gauge says UP");
        String metrics = io.restassured.RestAssured.given().baseUri(ManagementInterface.url()).get("/q/metrics").asString();
        assertTrue(metrics.contains("visca_gateway_health_probes_total{endpoint=\"replica-1\",provider=\"" + PROVIDER
                + "\",result=\"unhealthy\"}"), "probes counted by result");
        assertTrue(metrics.contains("visca_gateway_health_probe_duration_seconds_count{endpoint=\"replica-1\""),
                "probe latency recorded");

        List<Map<String, Object>> transitions = MonitorApi.endpoint(PROVIDER, "replica-1").transitions();
        assertEquals(List.of("UP", "DOWN", "UP"), transitions.stream().map(t -> t.get("status")).toList());
        assertEquals(3, transitions.get(1).get("consecutive_failures"));
        assertEquals(2, transitions.get(2).get("consecutive_successes"), "UP again after success_threshold probes");
        assertEquals(3, events.forKey(KEY).size(), "one event per transition: " + events.forKey(KEY));
        assertTopicIsCompacted();
    }

    /** {@code visca_gateway_endpoint_up} of replica-1 on {@code /q/metrics}. */
    private static String endpointUpGauge() {
        String prefix = "visca_gateway_endpoint_up{endpoint=\"replica-1\",provider=\"" + PROVIDER + "\"} ";
        return io.restassured.RestAssured.given().baseUri(ManagementInterface.url()).get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length())).findFirst().orElse("absent");
    }

    private static void assertTopicIsCompacted() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PROVIDER_HEALTH_CHANGED);
            Config config = admin.describeConfigs(List.of(topic)).all().get(10, TimeUnit.SECONDS).get(topic);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
    }
}
