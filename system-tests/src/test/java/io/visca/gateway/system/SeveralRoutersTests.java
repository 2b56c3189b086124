package io.visca.gateway.system;

import static io.visca.gateway.system.SystemHttp.json;
import static io.visca.gateway.system.SystemHttp.pause;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.test.ServiceProcess;
import io.visca.gateway.system.BillingLedger.Row;

/**
 * Several routers in front of one registry, one Kafka and one billing, as {@code ROUTER_REPLICAS=3 ./gateway.sh up}
 * (or replicas behind a load balancer) run them: each router a process of its own with its own usage spool. A key
 * is created once and every router serves it; a revoked key is refused by every router within a bound; and every
 * router's usage reaches billing's ledger, exactly one row per answered request, at the price the client reckons.
 */
class SeveralRoutersTests {

    private static final int ROUTERS = ThreeRouters.ROUTERS;
    /** Revocation travels as a {@code provider-changed} event; without it the snapshot refresh would take 30 s. */
    private static final Duration REVOKED_WITHIN = Duration.ofSeconds(10);
    private static final BigDecimal INPUT_PER_1K = new BigDecimal("0.0015");
    private static final BigDecimal OUTPUT_PER_1K = new BigDecimal("0.002");

    private static FakeOpenAiServer upstream;
    private static GatewayStack stack;

    @BeforeAll
    static void startGateway() {
        upstream = FakeOpenAiServer.start().models("m-several");
        stack = ThreeRouters.stack();
        stack.admin.putProvider("""
                {"name": "several", "type": "openai-compatible", "base_url": "%s", "api_key": "${API_KEY}",
                 "models": [{"id": "m-several", "context_window": 8192,
                             "cost_per_1k_input": %s, "cost_per_1k_output": %s}],
                 "enabled": true}
                """.formatted(upstream.baseUrl(), INPUT_PER_1K, OUTPUT_PER_1K));
    }

    @AfterAll
    static void stopUpstream() {
        // the stack is shared (ThreeRouters) and stops with the test JVM
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void keyCreatedOnceIsServedByEveryRouter() {
        assertEquals(ROUTERS, stack.routers.size());
        assertEquals(ROUTERS, stack.routers.stream().map(ServiceProcess::url).distinct().count(), "ports of their own");
        String key = stack.admin.createKey("several-served")[1];
        for (ServiceProcess router : stack.routers) {
            HttpResponse<String> answer = awaitServed(router, key);
            assertEquals("several", answer.headers().firstValue("x-visca-provider").orElse(null), answer.headers()
                    .toString());
            assertEquals("chat.completion", json(answer.body()).path("object").asText(), answer.body());
        }
    }

    @Test
    void revokedKeyIsRefusedByEveryRouterWithinABound() {
        String[] key = stack.admin.createKey("several-revoked");
        stack.routers.forEach(router -> awaitServed(router, key[1]));

        long revoked = System.nanoTime();
        stack.admin.revokeKey(key[0]);
        Map<String, Duration> refusedAfter = new LinkedHashMap<>();
        Map<String, HttpResponse<String>> last = new HashMap<>();
        long deadline = revoked + REVOKED_WITHIN.toNanos();
        do {
            for (ServiceProcess router : stack.routers) {
                if (!refusedAfter.containsKey(router.url())) {
                    HttpResponse<String> answer = chat(router, key[1], "revoked-" + UUID.randomUUID(), false);
                    last.put(router.url(), answer);
                    if (answer.statusCode() == 401) {
                        refusedAfter.put(router.url(), Duration.ofNanos(System.nanoTime() - revoked));
                        JsonNode error = json(answer.body()).path("error");
                        assertEquals("invalid_api_key", error.path("code").asText(), answer.body());
                        assertTrue(!answer.body().contains(key[1]), "the key is not echoed");
                    } else {
                        assertEquals(200, answer.statusCode(), "served until the revocation arrives: " + answer.body());
                    }
                }
            }
        } while (refusedAfter.size() < ROUTERS && System.nanoTime() < deadline && pause(100));
        assertEquals(ROUTERS, refusedAfter.size(), "every router refuses the revoked key within "
                + REVOKED_WITHIN.toSeconds() + " s: " + refusedAfter + "; last answers " + statuses(last));
        System.out.println("revoked key refused by each router after " + refusedAfter);
    }

    @Test
    void everyRoutersUsageReachesBillingOncePerAnsweredRequest() throws Exception {
        String key = stack.admin.createKey("several-billed")[1];
        stack.routers.forEach(router -> awaitServed(router, key));
        String run = "several-" + UUID.randomUUID().toString().substring(0, 8);
        // request id -> the cost by the client's reckoning, from the answer's usage
        Map<String, BigDecimal> answered = new LinkedHashMap<>();
        for (int r = 0; r < ROUTERS; r++) {
            for (int n = 0; n < 6; n++) {
                String id = run + "-router" + (r + 1) + "-" + n;
                boolean stream = n % 3 == 0;
                HttpResponse<String> answer = chat(stack.routers.get(r), key, id, stream);
                assertEquals(200, answer.statusCode(), id + ": " + answer.body());
                answered.put(id, cost(stream ? streamedUsage(answer.body()) : json(answer.body()).path("usage")));
            }
        }

        Map<String, Row> ledger = new BillingLedger(stack.billingDb).awaitAll(run, answered.keySet(),
                Duration.ofSeconds(30));
        List<String> wrong = new ArrayList<>();
        for (var request : answered.entrySet()) {
            Row row = ledger.get(request.getKey());
            if (row == null || row.count() != 1 || !row.status().equals("success")
                    || request.getValue().compareTo(row.cost()) != 0) {
                wrong.add(request.getKey() + "=" + row + " (client's cost " + request.getValue() + ")");
            }
        }
        assertEquals(List.of(), wrong, "each answered request billed exactly once, at its price");
        assertEquals(answered.keySet(), ledger.keySet(), "no row for a request nobody answered");
    }

    @Test
    void aProvidersRequestsPerMinuteHoldsAcrossRouters() throws Exception {
        int limit = 30;
        try (FakeOpenAiServer limited = FakeOpenAiServer.start().models("m-limited").reply("limited");
                FakeOpenAiServer overflow = FakeOpenAiServer.start().models("m-limited").reply("overflow")) {
            // saved in this order: a router that knows the overflow provider knows the limited one too
            stack.admin.putProvider("""
                    {"name": "several-limited", "type": "openai-compatible", "base_url": "%s", "api_key": "${API_KEY}",
                     "rate_limit": {"requests_per_minute": %d}, "models": [{"id": "m-limited"}], "enabled": true}
                    """.formatted(limited.baseUrl(), limit));
            stack.admin.putProvider("""
                    {"name": "several-overflow", "type": "openai-compatible", "base_url": "%s",
                     "api_key": "${API_KEY}", "models": [{"id": "m-limited"}], "enabled": true}
                    """.formatted(overflow.baseUrl()));
            String key = stack.admin.createKey("several-provider-limit")[1];
            for (ServiceProcess router : stack.routers) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (limitedChat(router, key, "several-overflow").statusCode() != 200 && System.nanoTime() < deadline
                        && pause(100)) {
                    // until this router knows both providers
                }
            }
            overflow.clearRequests();
            long second = java.time.Instant.now().getEpochSecond() % 60;
            if (second >= 50) { // the limit counts per UTC minute: the whole run (a few seconds) in one
                pause((61 - second) * 1000);
            }

            // three times the limit, all at once, spread evenly over the routers
            int offered = 3 * limit;
            var pool = java.util.concurrent.Executors.newFixedThreadPool(12);
            List<java.util.concurrent.Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < offered; i++) {
                ServiceProcess router = stack.routers.get(i % ROUTERS);
                answers.add(pool.submit(() -> limitedChat(router, key, "several-limited\",\"several-overflow")));
            }
            Map<String, Integer> servedBy = new HashMap<>();
            for (var answer : answers) {
                HttpResponse<String> response = answer.get();
                assertEquals(200, response.statusCode(), response.body());
                servedBy.merge(response.headers().firstValue("x-visca-provider").orElse("?"), 1, Integer::sum);
            }
            pool.shutdown();

            long atLimited = limited.requests().stream().filter(r -> r.path().endsWith("/chat/completions")).count();
            assertEquals(limit, atLimited, "the limited provider got exactly its limit from three routers: " + servedBy);
            assertEquals(Map.of("several-limited", limit, "several-overflow", offered - limit), servedBy);
        }
    }

    private static HttpResponse<String> limitedChat(ServiceProcess router, String key, String providers) {
        String body = """
                {"model": "m-limited", "messages": [{"role": "user", "content": "Limited?"}],
                 "routing": {"strategy": "priority", "providers": ["%s"], "fallback": true}}
                """.formatted(providers);
        return send(HttpRequest.newBuilder(URI.create(router.url() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> awaitServed(ServiceProcess router, String key) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> last;
        do {
            last = chat(router, key, "await-" + UUID.randomUUID(), false);
            if (last.statusCode() == 200) {
                return last;
            }
        } while (System.nanoTime() < deadline && pause(100));
        throw new AssertionError(router.url() + " never served the key: " + last.statusCode() + " " + last.body());
    }

    private static HttpResponse<String> chat(ServiceProcess router, String key, String requestId, boolean stream) {
        String body = """
                {"model": "m-several", "messages": [{"role": "user", "content": "Which router answers %s?"}]%s}
                """.formatted(requestId, stream ? ", \"stream\": true, \"stream_options\": {\"include_usage\": true}"
                : "");
        return send(HttpRequest.newBuilder(URI.create(router.url() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("x-request-id", requestId).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static BigDecimal cost(JsonNode usage) {
        return BigDecimal.valueOf(usage.path("prompt_tokens").asLong()).multiply(INPUT_PER_1K)
                .add(BigDecimal.valueOf(usage.path("completion_tokens").asLong()).multiply(OUTPUT_PER_1K))
                .divide(BigDecimal.valueOf(1000));
    }

    /** The usage of a stream: its last chunk with one ({@code stream_options.include_usage}). */
    private static JsonNode streamedUsage(String sse) {
        JsonNode usage = null;
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode chunk = json(line.substring("data: ".length())).path("usage");
                usage = chunk.isObject() ? chunk : usage;
            }
        }
        assertTrue(usage != null, "the stream reports its usage: " + sse);
        return usage;
    }

    private static Map<String, Integer> statuses(Map<String, HttpResponse<String>> answers) {
        Map<String, Integer> statuses = new HashMap<>();
        answers.forEach((url, answer) -> statuses.put(url, answer.statusCode()));
        return statuses;
    }
}
