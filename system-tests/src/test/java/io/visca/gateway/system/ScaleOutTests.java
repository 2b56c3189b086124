package io.visca.gateway.system;

import static io.visca.gateway.system.SystemHttp.awaitTrue;
import static io.visca.gateway.system.SystemHttp.json;
import static io.visca.gateway.system.SystemHttp.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.test.ServiceProcess;
import io.visca.gateway.system.BillingLedger.Row;

/**
 * Issue 18's promise, tried the way a rolling restart and a node failure try it: every service as several instances
 * ({@code ROUTER_REPLICAS=3 BILLING_REPLICAS=2 HEALTH_MONITOR_REPLICAS=2 REGISTRY_REPLICAS=2}) under a steady load
 * spread over the routers; one instance of each service killed (SIGKILL) and one stopped (SIGTERM) in turn, each
 * started again while the load goes on. The ledger then holds every request a client saw answered exactly once, at the
 * client's own price; each endpoint is probed by one health monitor per interval, not one per instance; and health
 * events keep flowing after all that.
 */
class ScaleOutTests {

    private static final BigDecimal INPUT_PER_1K = new BigDecimal("0.0015");
    private static final BigDecimal OUTPUT_PER_1K = new BigDecimal("0.002");
    /** The providers' probe interval. */
    private static final int INTERVAL_SECONDS = 1;

    private static FakeOpenAiServer served;
    private static FakeOpenAiServer watched;
    private static GatewayStack stack;
    private static String clientKey;

    @BeforeAll
    static void startGateway() {
        served = FakeOpenAiServer.start().models("m-scaled");
        watched = FakeOpenAiServer.start().models("m-watched");
        stack = GatewayStack.scaledOut(3, 2, 2, 2, "admin-" + UUID.randomUUID(), "service-" + UUID.randomUUID(),
                Map.of("API_KEY", "sk-" + UUID.randomUUID(), "ROUTER_USAGE_SPOOL_FSYNC_INTERVAL", "2s"));
        for (String[] provider : new String[][] { { "scaled", served.baseUrl(), "m-scaled" },
                { "watched", watched.baseUrl(), "m-watched" } }) {
            stack.admin.putProvider("""
                    {"name": "%s", "type": "openai-compatible", "base_url": "%s", "api_key": "${API_KEY}",
                     "models": [{"id": "%s", "cost_per_1k_input": %s, "cost_per_1k_output": %s}],
                     "health_check": {"enabled": true, "endpoint": "/health", "interval_seconds": %d,
                                      "timeout_seconds": 1, "failure_threshold": 1},
                     "enabled": true}
                    """.formatted(provider[0], provider[1], provider[2], INPUT_PER_1K, OUTPUT_PER_1K,
                    INTERVAL_SECONDS));
        }
        clientKey = stack.admin.createKey("scale-out")[1];
        for (ServiceProcess router : stack.routers) {
            awaitTrue(router.name() + " serves m-scaled", Duration.ofSeconds(30),
                    () -> chat(router, "warm-" + UUID.randomUUID()).statusCode() == 200);
        }
        awaitEndpoint("watched", "UP");
    }

    @AfterAll
    static void stopGateway() {
        if (stack != null) {
            stack.close();
        }
        for (FakeOpenAiServer fake : new FakeOpenAiServer[] { served, watched }) {
            if (fake != null) {
                fake.close();
            }
        }
    }

    @Test
    void oneInstanceOfEachServiceKilledAndOneStoppedUnderLoadLosesAndDoublesNothing() throws Exception {
        String run = "scale-" + UUID.randomUUID().toString().substring(0, 8);
        assertProbedOncePerInterval("with every instance running");

        List<SteadyLoad> loads = SteadyLoad.onEach(stack.routers, run, clientKey, ScaleOutTests::body, INPUT_PER_1K,
                OUTPUT_PER_1K);
        try {
            loads.forEach(load -> load.start(2, Duration.ofMillis(100))); // ~60 requests a second over three routers
            Thread.sleep(3_000);
            // in turn: one instance of each service killed, and one stopped, each started again under the load
            for (List<ServiceProcess> instances : List.of(stack.billings, stack.healthMonitors, stack.registries,
                    stack.routers.subList(1, 3))) {
                downAndUp(instances.get(0), ServiceProcess::kill);
                downAndUp(instances.get(1), ServiceProcess::stop);
            }
            Thread.sleep(3_000);
        } finally {
            SteadyLoad.stopAll(loads);
        }

        Map<String, BigDecimal> answered = new HashMap<>();
        Set<String> failed = new HashSet<>();
        BigDecimal answeredCost = BigDecimal.ZERO;
        for (SteadyLoad load : loads) {
            answered.putAll(load.answered);
            failed.addAll(load.failed);
            answeredCost = answeredCost.add(load.answeredCost());
            // a restarted router answers 503 gateway_starting until it has the registry's snapshot
            assertTrue(Set.of("503 gateway_starting").containsAll(load.refusals.keySet()),
                    "only answers, cut connections and a starting router's 503: " + load + " " + load.sampleBodies);
        }
        assertTrue(answered.size() > 1000, "the load ran: " + loads);
        Map<String, Row> ledger = new BillingLedger(stack.billingDb).awaitAll(run, answered.keySet(),
                Duration.ofSeconds(90));
        List<String> missing = new ArrayList<>();
        BigDecimal billed = BigDecimal.ZERO;
        for (var request : answered.entrySet()) {
            Row row = ledger.get(request.getKey());
            if (row == null) {
                missing.add(request.getKey());
                continue;
            }
            assertEquals(1, row.count(), "billed once: " + request.getKey());
            assertEquals(0, request.getValue().compareTo(row.cost()), request.getKey() + " costs " + request.getValue()
                    + " by the client's reckoning, billed " + row.cost());
            billed = billed.add(row.cost());
        }
        assertEquals(List.of(), missing, "answered requests missing from the ledger");
        assertEquals(0, answeredCost.compareTo(billed), answeredCost + " answered, " + billed + " billed");
        for (var row : ledger.entrySet()) {
            // a success the client did not see answered can only be a request cut by a router's kill after its
            // upstream answered: the upstream did the work (refusals, e.g. a starting router's 503, are error rows)
            assertTrue(!row.getValue().status().equals("success") || answered.containsKey(row.getKey())
                    || failed.contains(row.getKey()), "billed but neither answered nor cut: " + row);
        }

        assertProbedOncePerInterval("after the restarts");
        watched.failWith(503, null);
        try {
            awaitEndpoint("watched", "DOWN");
        } finally {
            watched.healthy();
        }
        awaitEndpoint("watched", "UP");
    }

    /** Takes the instance down the given way while the load goes on, and starts it again. */
    private static void downAndUp(ServiceProcess instance, Consumer<ServiceProcess> down) throws Exception {
        down.accept(instance);
        Thread.sleep(2_000);
        instance.start();
        Thread.sleep(2_000);
    }

    /**
     * Over ten intervals each endpoint answered about ten probes of this stack's monitors: one of them probes it, not
     * each (the test JVM's other stacks share the registry database, so their monitors probe it too, under their own
     * user agent).
     */
    private static void assertProbedOncePerInterval(String when) throws Exception {
        int window = 10 * INTERVAL_SECONDS;
        served.clearRequests();
        watched.clearRequests();
        Thread.sleep(window * 1000L);
        for (FakeOpenAiServer fake : new FakeOpenAiServer[] { served, watched }) {
            long probes = fake.requests().stream().filter(r -> r.path().equals("/health")
                    && String.valueOf(r.header("user-agent")).startsWith("visca-health-monitor/" + stack.id + "-"))
                    .count();
            assertTrue(probes >= window / 2 && probes <= window + 2,
                    when + ": " + probes + " probes in " + window + " intervals of " + INTERVAL_SECONDS + " s");
        }
    }

    /** The endpoint's status in the health monitor API, read from every instance, once it is {@code status}. */
    private static void awaitEndpoint(String provider, String status) {
        for (ServiceProcess monitor : stack.healthMonitors) {
            awaitTrue(provider + " " + status + " on " + monitor.name(), Duration.ofSeconds(40), () -> {
                HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(monitor.url() + "/api/health/"
                        + provider)).header("Authorization", "Bearer " + stack.adminToken));
                return health.statusCode() == 200
                        && status.equals(json(health.body()).path("endpoints").path(0).path("status").asText());
            });
        }
    }

    private static String body(int n) {
        return "{\"model\":\"m-scaled\",\"messages\":[{\"role\":\"user\",\"content\":\"count to " + n + "\"}]}";
    }

    private static HttpResponse<String> chat(ServiceProcess router, String requestId) {
        return send(HttpRequest.newBuilder(URI.create(router.url() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + clientKey).header("Content-Type", "application/json")
                .header("x-request-id", requestId).POST(HttpRequest.BodyPublishers.ofString(body(0))));
    }
}
