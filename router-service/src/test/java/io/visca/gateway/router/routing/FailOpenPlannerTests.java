package io.visca.gateway.router.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.RegistrySnapshot;
import io.visca.gateway.contracts.routing.RoutingPolicies;
import io.visca.gateway.contracts.routing.RoutingPolicy;
import io.visca.gateway.router.adapter.Adapters;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.openai.OpenAiCompatibleAdapter;
import io.visca.gateway.router.error.GatewayError;

/**
 * Failing open in the planner: when no candidate has a healthy endpoint, every candidate is planned as if healthy (in
 * the strategy's order), the health verdicts only; circuit breakers, the allow-list and disabled providers still count.
 * Counted per model, logged once per change.
 */
class FailOpenPlannerTests {

    private final LiveState live = new LiveState(new BreakerSettings(2, Duration.ofSeconds(30)));
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final RoutingPlanner planner = new RoutingPlanner(256, new FailOpen(true, metrics));
    private final List<LogRecord> logged = new ArrayList<>();
    private final java.util.logging.Logger failOpenLog = java.util.logging.Logger.getLogger(FailOpen.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        failOpenLog.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        failOpenLog.removeHandler(capture);
    }

    private static ProviderConfig provider(String name, boolean enabled, String... endpoints) {
        List<EndpointConfig> list = new ArrayList<>();
        for (String id : endpoints) {
            list.add(new EndpointConfig(id, "http://" + id + ".test/v1", 1));
        }
        return new ProviderConfig(name, "openai-compatible", enabled, list, null,
                List.of(new ModelConfig("m", null, null, ModelConfig.CHAT, null, null, null, null)), null, null, null,
                null, null, null);
    }

    private RoutingTable table(ProviderConfig... providers) {
        return RoutingTable.from(new RegistrySnapshot(1, Instant.now(), List.of(providers), List.of(),
                RoutingPolicies.NONE, List.of()), Adapters.of(new OpenAiCompatibleAdapter()), live);
    }

    private RoutingPlan plan(RoutingTable table, List<String> providers) {
        ObjectNode body = Json.object().put("model", "m");
        body.putArray("messages").addObject().put("role", "user").put("content", "hi");
        RoutingPolicy policy = RequestRouting.effective(new RoutingPolicy(null, providers, null, Map.of()), "m",
                table.policies());
        return planner.plan(table, Operation.CHAT, body, "m", policy, null);
    }

    private static List<String> names(RoutingPlan plan) {
        return plan.candidates().stream().map(route -> route.provider().name()).toList();
    }

    private double failedOpen() {
        var counter = metrics.find("visca.gateway.routing.fail_open").tag("model", "m").counter();
        return counter == null ? 0 : counter.count();
    }

    private List<String> log(Level level) {
        synchronized (logged) {
            return logged.stream().filter(r -> r.getLevel().intValue() == level.intValue())
                    .map(LogRecord::getMessage).toList();
        }
    }

    /**
     * The endpoint's circuit breaker reports it open, as it does after its threshold of failures (the breakers
     * themselves run inside Quarkus: {@link FailOpenTests} opens one with real failures).
     */
    private static void openCircuit(EndpointState endpoint) {
        endpoint.breakerChanged(CircuitBreakerState.OPEN);
        assertFalse(endpoint.breakerAllows(System.nanoTime()), "the circuit is open");
    }

    @Test
    void whenEveryCandidateIsDownEveryOneIsPlannedInTheStrategysOrderAndMarked() {
        RoutingTable table = table(provider("one", true, "a1", "a2"), provider("two", true, "b1"));
        live.health("one/a1", true, "GET /v1/health answered HTTP 404");
        live.health("one/a2", true, "GET /v1/health answered HTTP 404");
        live.health("two/b1", true, "GET /v1/health answered HTTP 404");

        RoutingPlan plan = plan(table, List.of("two", "one"));
        assertTrue(plan.failOpen());
        assertEquals(List.of("two", "one"), names(plan), "the request's own order, as when healthy");
        assertEquals(2, plan.skipped().size(), plan.skipped().toString());
        assertTrue(plan.skipped().stream().allMatch(why -> why.contains("DOWN by the health monitor")),
                "why each was out: " + plan.skipped());
        ProviderRuntime one = table.routes("m").get(0).provider();
        assertEquals(-1, one.nextEndpoint(false), "no endpoint is healthy");
        int[] counts = new int[2];
        for (int i = 0; i < 10; i++) {
            counts[one.nextEndpoint(true)]++;
        }
        assertEquals(List.of(5, 5), List.of(counts[0], counts[1]), "failing open, the usual split over all of them");
        assertEquals(1, failedOpen());
    }

    @Test
    void oneHealthyCandidateMeansNoFailingOpen() {
        RoutingTable table = table(provider("one", true, "a1"), provider("two", true, "b1"));
        live.health("one/a1", true, "connection refused");

        RoutingPlan plan = plan(table, List.of("one", "two"));
        assertFalse(plan.failOpen());
        assertEquals(List.of("two"), names(plan));
        assertEquals(0, failedOpen());
    }

    @Test
    void aHealthyEndpointIsPreferredWhenItComesBackDuringAFailedOpenRequest() {
        RoutingTable table = table(provider("one", true, "a1", "a2"));
        live.health("one/a1", true, "down");
        live.health("one/a2", true, "down");
        assertTrue(plan(table, List.of()).failOpen());
        live.health("one/a2", false, "HTTP 200");
        ProviderRuntime one = table.routes("m").get(0).provider();
        for (int i = 0; i < 4; i++) {
            assertEquals(1, one.nextEndpoint(true), "a2, healthy again, takes every attempt");
        }
    }

    @Test
    void openCircuitsStayOutWhenFailingOpen() {
        RoutingTable table = table(provider("one", true, "a1"), provider("two", true, "b1"));
        live.health("one/a1", true, "down");
        live.health("two/b1", true, "down");
        openCircuit(table.routes("m").get(0).provider().endpointState(0));

        RoutingPlan plan = plan(table, List.of("one", "two"));
        assertTrue(plan.failOpen());
        assertEquals(List.of("two"), names(plan), "one's only endpoint has its circuit open: requests there fail");

        openCircuit(table.routes("m").get(1).provider().endpointState(0));
        GatewayError none = assertThrows(GatewayError.class, () -> plan(table, List.of("one", "two")));
        assertEquals(503, none.status(), "every circuit open: as without failing open");
        assertEquals("no_available_provider", none.code());
        assertTrue(none.getMessage().contains("DOWN by the health monitor"), none.getMessage());
    }

    @Test
    void theAllowListAndDisabledProvidersStillCount() {
        RoutingTable table = table(provider("one", true, "a1"), provider("two", true, "b1"),
                provider("off", false, "c1"));
        live.health("one/a1", true, "down");
        live.health("two/b1", true, "down");

        RoutingPlan plan = plan(table, List.of("one"));
        assertTrue(plan.failOpen());
        assertEquals(List.of("one"), names(plan), "only routing.providers; never the disabled provider");
        assertEquals(List.of("one", "two"), names(plan(table, List.of())));
    }

    @Test
    void countsEveryRequestButLogsOncePerChange() {
        RoutingTable table = table(provider("one", true, "a1"), provider("two", true, "b1"));
        live.health("one/a1", true, "down");
        live.health("two/b1", true, "down");
        for (int i = 0; i < 5; i++) {
            assertTrue(plan(table, List.of()).failOpen());
        }
        assertEquals(5, failedOpen());
        List<String> warnings = log(Level.WARNING);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("fails open"), warnings.get(0));

        plan(table, List.of("one"));
        assertEquals(1, log(Level.WARNING).size(), "one warning per episode of failing open");
        assertEquals(1, log(Level.INFO).size(), "another set of providers is logged as a change");
        assertTrue(log(Level.INFO).get(0).contains("now fails open over one (was one, two)"), log(Level.INFO).get(0));

        live.health("two/b1", false, "HTTP 200");
        for (int i = 0; i < 3; i++) {
            assertFalse(plan(table, List.of()).failOpen());
        }
        List<String> infos = log(Level.INFO);
        assertEquals(2, infos.size(), infos.toString());
        assertTrue(infos.get(1).contains("no longer fails open"), infos.get(1));
        assertEquals(6, failedOpen(), "nothing counted while routing normally");
    }

    @Test
    void turnedOffItIsA503NamingEachEndpointsVerdict() {
        RoutingPlanner off = new RoutingPlanner(256, new FailOpen(false, metrics));
        RoutingTable table = table(provider("one", true, "a1"));
        live.health("one/a1", true, "GET /v1/health answered HTTP 404");
        ObjectNode body = Json.object().put("model", "m");
        body.putArray("messages").addObject().put("role", "user").put("content", "hi");
        GatewayError error = assertThrows(GatewayError.class, () -> off.plan(table, Operation.CHAT, body, "m",
                RequestRouting.effective(null, "m", table.policies()), null));
        assertEquals(503, error.status());
        assertTrue(error.getMessage().contains("GET /v1/health answered HTTP 404"), error.getMessage());
        assertEquals(0, failedOpen());
    }
}
