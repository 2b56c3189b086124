package io.visca.gateway.router.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.auth.UpstreamAuthHeaders;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.RateLimitConfig;
import io.visca.gateway.contracts.provider.RegistrySnapshot;
import io.visca.gateway.contracts.routing.RoutingPolicies;
import io.visca.gateway.contracts.routing.RoutingPolicy;
import io.visca.gateway.router.adapter.Adapters;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.openai.OpenAiCompatibleAdapter;
import io.visca.gateway.router.adapter.tgi.TgiAdapter;
import io.visca.gateway.router.error.GatewayError;

/** Filters and strategy orders of the planner, on a table built from a snapshot (no network involved). */
class RoutingPlannerTests {

    private final LiveState live = new LiveState(new BreakerSettings(5, Duration.ofSeconds(30)));
    private final RoutingPlanner planner = new RoutingPlanner(256);

    private static ProviderConfig provider(String name, String model, Integer window, String in, String out,
            RateLimitConfig limit, EndpointConfig... endpoints) {
        List<EndpointConfig> list = endpoints.length > 0 ? List.of(endpoints)
                : List.of(new EndpointConfig("e1", "http://" + name + ".test/v1", 1));
        ModelConfig m = new ModelConfig(model, null, null, ModelConfig.CHAT, window,
                in == null ? null : new BigDecimal(in), out == null ? null : new BigDecimal(out), null);
        return new ProviderConfig(name, "openai-compatible", true, list, null, List.of(m), null, null, limit, null,
                null, null);
    }

    private RoutingTable table(RoutingPolicies policies, ProviderConfig... providers) {
        return RoutingTable.from(new RegistrySnapshot(1, Instant.now(), List.of(providers), List.of(), policies, List.of()),
                Adapters.of(new OpenAiCompatibleAdapter()), live);
    }

    private static ObjectNode chat(int maxTokens) {
        ObjectNode body = Json.object().put("model", "auto");
        body.putArray("messages").addObject().put("role", "user").put("content", "How much does this cost?");
        if (maxTokens > 0) {
            body.put("max_tokens", maxTokens);
        }
        return body;
    }

    private List<String> order(RoutingTable table, String model, RoutingPolicy asked) {
        RoutingPolicy policy = RequestRouting.effective(asked, model, table.policies());
        List<String> names = new ArrayList<>();
        planner.plan(table, Operation.CHAT, chat(100), model, policy, null).candidates()
                .forEach(route -> names.add(route.provider().name()));
        return names;
    }

    private static RoutingPolicy strategy(String name) {
        return new RoutingPolicy(name, List.of(), null, Map.of());
    }

    @Test
    void costOptimizedOrdersByEstimatedCostAndCountsUnpricedModelsAsFree() {
        RoutingTable table = table(RoutingPolicies.NONE, provider("dear", "a", null, "0.01", "0.03", null),
                provider("cheap", "b", null, "0.001", "0.002", null), provider("selfhosted", "c", null, null, null,
                        null),
                provider("outputheavy", "d", null, "0.0001", "0.05", null));
        assertEquals(List.of("selfhosted", "cheap", "dear", "outputheavy"), order(table, "auto", null),
                "auto defaults to cost-optimized; 100 max tokens at 0.05 outweigh a cheap prompt");
    }

    @Test
    void costOptimizedAutoSkipsTheCheapestWhenItHasNoCredentialsAndSaysWhyInOneHeader() {
        AuthConfig keyed = new AuthConfig(AuthConfig.BEARER, "${OPENAI_API_KEY}", null, null, null, null, null, null,
                null);
        ProviderConfig cheap = provider("openai", "nano", null, "0.00005", "0.0004", null).withAuth(keyed);
        ProviderConfig dear = provider("my-vllm-server", "llama-3-70b", null, "0.0001", "0.002", null);
        RoutingTable table = table(RoutingPolicies.NONE, cheap, dear);
        Map<String, String> environment = new java.util.HashMap<>();
        RoutingPlanner withSecrets = new RoutingPlanner(256, FailOpen.off(),
                auth -> UpstreamAuthHeaders.unsetSecrets(new SecretResolver(environment::get), auth));
        RoutingPolicy policy = RequestRouting.effective(null, "auto", table.policies());

        RoutingPlan without = withSecrets.plan(table, Operation.CHAT, chat(100), "auto", policy, null);
        assertEquals(List.of("my-vllm-server"), without.candidates().stream().map(r -> r.provider().name()).toList());
        assertEquals("openai: no credentials (OPENAI_API_KEY not set for the router)", without.skippedHeader());

        environment.put("OPENAI_API_KEY", "sk-test");
        RoutingPlan with = withSecrets.plan(table, Operation.CHAT, chat(100), "auto", policy, null);
        assertEquals(List.of("openai", "my-vllm-server"), with.candidates().stream().map(r -> r.provider().name())
                .toList(), "the key arrives: the cheapest serves, no new snapshot needed");
        assertEquals(null, with.skippedHeader());

        environment.clear();
        GatewayError none = assertThrows(GatewayError.class, () -> withSecrets.plan(table, Operation.CHAT, chat(100),
                "nano", RequestRouting.effective(null, "nano", table.policies()), null));
        assertEquals(503, none.status(), "no credentials is never the client's mistake");
        assertTrue(none.getMessage().contains("provider 'openai': no credentials (OPENAI_API_KEY"), none.getMessage());

        ProviderConfig second = provider("openai", "nano-2", null, "0.00005", "0.0004", null).withAuth(keyed);
        RoutingTable two = table(RoutingPolicies.NONE, new ProviderConfig(cheap.name(), cheap.type(), true,
                cheap.endpoints(), keyed, List.of(cheap.models().get(0), second.models().get(0)), null, null, null,
                null, null, null));
        GatewayError once = assertThrows(GatewayError.class, () -> withSecrets.plan(two, Operation.CHAT, chat(100),
                "auto", RequestRouting.effective(null, "auto", two.policies()), null));
        assertEquals(1, once.getMessage().split("no credentials", -1).length - 1,
                "said once for the provider, not for each of its models: " + once.getMessage());
    }

    @Test
    void contextWindowTooSmallIsSkippedAndA400WhenNothingFits() {
        RoutingTable table = table(RoutingPolicies.NONE, provider("small", "m", 50, "0", "0", null),
                provider("large", "m", 10_000, "1", "1", null));
        assertEquals(List.of("large"), order(table, "m", null));
        GatewayError error = assertThrows(GatewayError.class, () -> planner.plan(table, Operation.CHAT, chat(20_000),
                "m", RequestRouting.effective(null, "m", table.policies()), null));
        assertEquals(400, error.status());
        assertEquals("context_length_exceeded", error.code());
        assertTrue(error.getMessage().contains("context window 50") && error.getMessage().contains("10000"),
                error.getMessage());
    }

    @Test
    void anEndpointDownByTheHealthMonitorIsSkippedAndTheReasonsAreGiven() {
        RoutingTable table = table(RoutingPolicies.NONE, provider("one", "m", null, null, null, null),
                provider("two", "m", null, null, null, null));
        live.health("one/e1", true, "connection refused");
        assertEquals(List.of("two"), order(table, "m", null));
        live.health("two/e1", true, "HTTP 503");
        GatewayError error = assertThrows(GatewayError.class, () -> order(table, "m", null));
        assertEquals(503, error.status());
        assertEquals("no_available_provider", error.code());
        assertTrue(error.getMessage().contains("'one'") && error.getMessage().contains("connection refused")
                && error.getMessage().contains("HTTP 503"), error.getMessage());
        live.health("one/e1", false, "HTTP 200");
        assertEquals(List.of("one"), order(table, "m", null), "back in rotation once UP");
    }

    @Test
    void aProviderAtItsMaxConcurrentOrPausedByA429IsSkipped() {
        RoutingTable table = table(RoutingPolicies.NONE,
                provider("busy", "m", null, null, null, new RateLimitConfig(null, 2)),
                provider("free", "m", null, null, null, null));
        ProviderRuntime busy = table.routes("m").get(0).provider();
        busy.state().inFlight().addAndGet(2);
        assertEquals(List.of("free"), order(table, "m", null));
        busy.state().inFlight().addAndGet(-2);
        assertEquals(List.of("busy", "free"), order(table, "m", null));

        table.routes("m").forEach(route -> route.provider().state().pause(30));
        GatewayError limited = assertThrows(GatewayError.class, () -> order(table, "m", null));
        assertEquals(429, limited.status(), "every candidate asked for a pause: the client is rate limited");
        assertTrue(limited.retryAfterSeconds() >= 29, "Retry-After " + limited.retryAfterSeconds());
    }

    @Test
    void anOperationNoCandidateSupportsIsTheClientsMistakeA400() {
        ProviderConfig chat = provider("tgi-box", "m", null, null, null, null);
        ProviderConfig tgi = new ProviderConfig(chat.name(), "tgi", true, chat.endpoints(), null, chat.models(), null,
                null, null, null, null, null);
        RoutingTable table = RoutingTable.from(new RegistrySnapshot(1, Instant.now(), List.of(tgi), List.of(),
                RoutingPolicies.NONE, List.of()), Adapters.of(new OpenAiCompatibleAdapter(), new TgiAdapter()), live);
        GatewayError error = assertThrows(GatewayError.class, () -> planner.plan(table, Operation.EMBEDDINGS,
                chat(0), "m", RequestRouting.effective(null, "m", table.policies()), null));
        assertEquals(400, error.status());
        assertEquals("unsupported_operation", error.code());
        assertTrue(error.getMessage().contains("tgi-box"), error.getMessage());
    }

    @Test
    void latencyOptimizedTriesUnmeasuredEndpointsFirstThenTheFastest() {
        RoutingTable table = table(RoutingPolicies.NONE, provider("slow", "m", null, null, null, null),
                provider("fast", "m", null, null, null, null), provider("new", "m", null, null, null, null));
        table.routes("m").get(0).provider().endpointState(0).observeLatency(900);
        table.routes("m").get(1).provider().endpointState(0).observeLatency(40);
        assertEquals(List.of("new", "fast", "slow"), order(table, "m", strategy(RoutingPolicy.LATENCY_OPTIMIZED)));
    }

    @Test
    void leastBusyPrefersTheProviderWithFewestRequestsInFlight() {
        RoutingTable table = table(RoutingPolicies.NONE, provider("a", "m", null, null, null, null),
                provider("b", "m", null, null, null, null));
        table.routes("m").get(0).provider().state().inFlight().addAndGet(3);
        table.routes("m").get(1).provider().state().inFlight().addAndGet(1);
        assertEquals(List.of("b", "a"), order(table, "m", strategy(RoutingPolicy.LEAST_BUSY)));
    }

    @Test
    void roundRobinRotatesTheCandidates() {
        RoutingTable table = table(RoutingPolicies.NONE, provider("a", "m", null, null, null, null),
                provider("b", "m", null, null, null, null), provider("c", "m", null, null, null, null));
        List<String> firsts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            firsts.add(order(table, "m", strategy(RoutingPolicy.ROUND_ROBIN)).get(0));
        }
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), firsts);
    }

    @Test
    void weightedPicksFirstInProportionToTheWeights() {
        RoutingTable table = table(RoutingPolicies.NONE, provider("a", "m", null, null, null, null),
                provider("b", "m", null, null, null, null));
        RoutingPolicy weighted = new RoutingPolicy(RoutingPolicy.WEIGHTED, List.of(), null, Map.of("a", 1, "b", 3));
        Map<String, Integer> firsts = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            firsts.merge(order(table, "m", weighted).get(0), 1, Integer::sum);
        }
        assertTrue(Math.abs(firsts.get("b") - 3000) < 200, "b first " + firsts.get("b") + " of 4000 times, ~3000");
    }

    @Test
    void theRegistrysDefaultPolicyAppliesWhereTheRequestSetsNothing() {
        RoutingPolicies defaults = new RoutingPolicies(null,
                Map.of("m", new RoutingPolicy(RoutingPolicy.PRIORITY, List.of("c", "a"), false, Map.of())));
        RoutingTable table = table(defaults, provider("a", "m", null, null, null, null),
                provider("b", "m", null, null, null, null), provider("c", "m", null, null, null, null));
        assertEquals(List.of("c", "a"), order(table, "m", null), "its allow-list, in its order");
        RoutingPlan plan = planner.plan(table, Operation.CHAT, chat(10), "m",
                RequestRouting.effective(null, "m", table.policies()), null);
        assertEquals(false, plan.fallback());
        assertEquals(List.of("b", "a"), order(table, "m", new RoutingPolicy(null, List.of("b", "a"), null, Map.of())),
                "a request's own providers win");
    }

    @Test
    void smoothWeightedRoundRobinSplitsExactlyAndSkipsUnavailableEndpoints() {
        RoutingTable table = table(RoutingPolicies.NONE, provider("p", "m", null, null, null, null,
                new EndpointConfig("x", "http://x.test", 1), new EndpointConfig("y", "http://y.test", 1),
                new EndpointConfig("z", "http://z.test", 2)));
        ProviderRuntime p = table.routes("m").get(0).provider();
        int[] counts = new int[3];
        for (int i = 0; i < 400; i++) {
            counts[p.nextEndpoint()]++;
        }
        assertEquals(List.of(100, 100, 200), List.of(counts[0], counts[1], counts[2]));
        live.health("p/z", true, "down");
        counts = new int[3];
        for (int i = 0; i < 100; i++) {
            counts[p.nextEndpoint()]++;
        }
        assertEquals(List.of(50, 50, 0), List.of(counts[0], counts[1], counts[2]));
    }

    @Test
    void routingProvidersThatDoNotServeTheModelAreA400NamingThoseThatDo() {
        RoutingTable table = table(RoutingPolicies.NONE, provider("one", "m", null, null, null, null),
                provider("other", "n", null, null, null, null));
        RoutingPolicy asked = new RoutingPolicy(null, List.of("other"), null, Map.of());

        GatewayError error = assertThrows(GatewayError.class, () -> order(table, "m", asked));

        assertEquals(400, error.status());
        assertEquals("invalid_routing", error.code());
        assertEquals("routing.providers", error.param());
        assertTrue(error.getMessage().contains("[other]") && error.getMessage().contains("[one]"), error.getMessage());
    }

    @Test
    void aRegistryDefaultThatServesNothingStaysA503() {
        RoutingTable table = table(new RoutingPolicies(null, Map.of("m", new RoutingPolicy(null, List.of("other"),
                null, Map.of()))), provider("one", "m", null, null, null, null),
                provider("other", "n", null, null, null, null));

        GatewayError error = assertThrows(GatewayError.class, () -> order(table, "m", null));

        assertEquals(503, error.status(), "the operator's policy, not the client's mistake");
        assertEquals("no_available_provider", error.code());
    }

    @Test
    void autoWithNoModelForTheOperationIsA404() {
        RoutingTable table = table(RoutingPolicies.NONE, provider("one", "m", null, null, null, null));
        ObjectNode completion = Json.object().put("model", "auto").put("prompt", "Say hi");

        GatewayError error = assertThrows(GatewayError.class, () -> planner.plan(table, Operation.COMPLETIONS,
                completion, "auto", RequestRouting.effective(null, "auto", table.policies()), null));

        assertEquals(404, error.status());
        assertEquals("model_not_found", error.code());
        assertTrue(error.getMessage().contains("completion model"), error.getMessage());
    }

    @Test
    void aHugeMaxTokensDoesNotOverflowTheContextWindowCheck() {
        RoutingTable table = table(RoutingPolicies.NONE, provider("small", "m", 4096, null, null, null));
        ObjectNode body = chat(0).put("max_tokens", Long.MAX_VALUE);

        GatewayError error = assertThrows(GatewayError.class, () -> planner.plan(table, Operation.CHAT, body, "m",
                RequestRouting.effective(null, "m", table.policies()), null));

        assertEquals(400, error.status());
        assertEquals("context_length_exceeded", error.code());
    }

    @Test
    void aNewSnapshotWithTheSameEndpointsContinuesTheWeightedRotation() {
        EndpointConfig[] cluster = { new EndpointConfig("a", "http://a.test/v1", 1),
                new EndpointConfig("b", "http://b.test/v1", 1), new EndpointConfig("c", "http://c.test/v1", 2) };
        int[] served = new int[3];
        for (int snapshot = 0; snapshot < 10; snapshot++) {
            // every snapshot between two requests (a discovered model list, a new price): the split stays exact
            RoutingTable table = table(RoutingPolicies.NONE,
                    provider("cluster", "m", null, String.valueOf(snapshot), null, null, cluster));
            served[table.routes("m").get(0).provider().nextEndpoint()]++;
        }
        assertEquals(List.of(3, 2, 5), List.of(served[0], served[1], served[2]),
                "the rotation of 1:1:2 continued across ten snapshots (restarted each time it would be 0:0:10)");

        int[] reweighted = new int[3];
        RoutingTable changed = table(RoutingPolicies.NONE, provider("cluster", "m", null, null, null, null,
                cluster[0], cluster[1], new EndpointConfig("c", "http://c.test/v1", 1)));
        for (int i = 0; i < 30; i++) {
            reweighted[changed.routes("m").get(0).provider().nextEndpoint()]++;
        }
        assertEquals(List.of(10, 10, 10), List.of(reweighted[0], reweighted[1], reweighted[2]), "new weights, new split");
    }
}
