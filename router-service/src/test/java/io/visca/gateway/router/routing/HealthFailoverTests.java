package io.visca.gateway.router.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.contracts.event.UsageRecorded;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.infra.test.ServiceProcess;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.FinishedRequests;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RegistryServiceResource;
import io.visca.gateway.router.testing.RouterApi;

/**
 * Active health end to end: the real health monitor (its packaged jar, as a process) probes the endpoints of a
 * provider the real registry holds, and publishes its verdicts on the real broker; the router follows them under
 * steady traffic.
 */
@QuarkusTest
class HealthFailoverTests {

    private static final Logger LOG = Logger.getLogger(HealthFailoverTests.class);
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FakeOpenAiServer first;
    private static FakeOpenAiServer second;
    private static ServiceProcess monitor;

    @BeforeAll
    static void start() {
        first = FakeOpenAiServer.start().models("failover-model").reply("first");
        second = FakeOpenAiServer.start().models("failover-model").reply("second");
        RegistryAdmin.putProvider("""
                {"name": "failover-ai", "type": "openai-compatible", "auth": {"auth_type": "none"},
                 "retry": {"max_retries": 1, "backoff_ms": 5},
                 "endpoints": [{"id": "first", "base_url": "%s"}, {"id": "second", "base_url": "%s"}],
                 "health_check": {"enabled": true, "interval_seconds": 1, "timeout_seconds": 1,
                                  "failure_threshold": 2, "success_threshold": 1},
                 "models": [{"id": "failover-model"}]}""".formatted(first.baseUrl(), second.baseUrl()));
        RouterApi.awaitModel("failover-model");
        monitor = new ServiceProcess("health-monitor", ServiceProcess.jar("health-monitor.jar"),
                Map.of("REGISTRY_URL", RegistryServiceResource.url(), "GATEWAY_SERVICE_TOKEN",
                        RegistryServiceResource.SERVICE_TOKEN, "GATEWAY_SECRETS_KEY",
                        RegistryServiceResource.SECRETS_KEY, "KAFKA_BOOTSTRAP_SERVERS",
                        GatewayInfraResource.kafkaBootstrapServers(),
                        // a group of its own on the test JVM's shared broker (no other monitor holds its shards)
                        "HEALTH_SHARDS_GROUP", "health-monitor-" + UUID.randomUUID()))
                .start();
        awaitStatus("first", "UP");
        awaitStatus("second", "UP");
    }

    @AfterAll
    static void stop() {
        if (monitor != null) {
            monitor.stop();
        }
        RegistryAdmin.deleteProvider("failover-ai");
        first.close();
        second.close();
    }

    /** The health monitor's own view: {@code GET /api/health/{provider}}. */
    private static String status(String endpoint) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(monitor.url()
                    + "/api/health/failover-ai")).header("Authorization", "Bearer "
                            + RegistryServiceResource.SERVICE_TOKEN)
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "HTTP " + response.statusCode();
            }
            for (JsonNode entry : Chats.json(response.body()).path("endpoints")) {
                if (endpoint.equals(entry.path("endpoint").asText())) {
                    return entry.path("status").asText();
                }
            }
            return "absent";
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static Duration awaitStatus(String endpoint, String wanted) {
        long start = System.nanoTime();
        String last = null;
        while (System.nanoTime() - start < BOUND.toNanos()) {
            last = status(endpoint);
            if (wanted.equals(last)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            RoutingTests.sleep(50);
        }
        throw new AssertionError(endpoint + " is " + last + ", never " + wanted);
    }

    /** Steady traffic from a background thread: every response's status and request id, in order. */
    private static final class Traffic implements AutoCloseable {
        final List<String> failures = new ArrayList<>();
        final ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::run, "steady-traffic");

        Traffic() {
            thread.start();
        }

        private void run() {
            while (running.get()) {
                Response response = RouterApi.request().body("{\"model\":\"failover-model\",\"messages\":[{\"role\":"
                        + "\"user\",\"content\":\"hi\"}]}").post("/v1/chat/completions");
                if (response.statusCode() != 200) {
                    synchronized (failures) {
                        failures.add(response.statusCode() + " " + response.asString());
                    }
                }
                ids.add(response.header("x-request-id"));
                RoutingTests.sleep(20);
            }
        }

        /** Request ids sent from now on. */
        List<String> since(int mark) {
            return new ArrayList<>(ids).subList(mark, ids.size());
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }

    private static long attemptsOn(List<String> requestIds, String endpoint) {
        long count = 0;
        for (String id : requestIds) {
            for (UsageRecorded.Attempt attempt : FinishedRequests.get(id).attemptLog()) {
                if (endpoint.equals(attempt.endpoint())) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void anEndpointStoppedUnderTrafficIsMarkedDownTakenOutAndBroughtBackWhenItRestarts() throws Exception {
        try (Traffic traffic = new Traffic()) {
            RoutingTests.sleep(500);
            // enough answered requests for the round robin to have reached both (a slow start serves few in 500 ms)
            for (int i = 0; i < 200 && traffic.ids.size() < 10; i++) {
                RoutingTests.sleep(50);
            }
            long before = RoutingTests.chatCalls(first);
            assertTrue(before > 0, "both endpoints serve while healthy");

            first.stop();
            Duration down = awaitStatus("first", "DOWN");
            RoutingTests.sleep(300); // the event's way to the router
            int mark = traffic.ids.size();
            // longer than the circuit breaker's cooldown (2 s in tests): without the health monitor, the breaker
            // would let a trial request through to the stopped endpoint in this window
            RoutingTests.sleep(3_000);
            List<String> whileDown = traffic.since(mark);
            assertTrue(whileDown.size() > 20, "steady traffic: " + whileDown.size() + " requests");
            assertEquals(0, attemptsOn(whileDown, "first"), "no attempt goes to an endpoint the monitor says is DOWN");

            first.restart();
            Duration up = awaitStatus("first", "UP");
            long start = System.nanoTime();
            long seen = RoutingTests.chatCalls(first);
            while (RoutingTests.chatCalls(first) == seen) {
                assertTrue(System.nanoTime() - start < BOUND.toNanos(), "the restarted endpoint gets no traffic");
                RoutingTests.sleep(20);
            }
            LOG.infof("health monitor: DOWN after %d ms, UP after %d ms; traffic back %d ms after UP", down.toMillis(),
                    up.toMillis(), (System.nanoTime() - start) / 1_000_000);
            traffic.close();
            synchronized (traffic.failures) {
                assertEquals(List.of(), traffic.failures, "with fallback the client never sees an error");
            }
        }
    }
}
