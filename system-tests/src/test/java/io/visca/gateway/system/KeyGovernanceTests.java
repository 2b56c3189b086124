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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.test.ServiceProcess;
import io.visca.gateway.system.BillingLedger.Row;

/**
 * Key governance across three routers sharing one quota store (billing): a budget is never overshot by concurrent
 * requests on every router and is used up to within one request's reservation; a rate limit holds across routers
 * with OpenAI's headers counting down; a team's budget stops all its keys; a key's models list blocks other models
 * and constrains {@code auto}; a rotated key's old secret works until its grace ends; an expired key is refused.
 */
class KeyGovernanceTests {

    private static final BigDecimal INPUT_PER_1K = new BigDecimal("0.01");
    private static final BigDecimal OUTPUT_PER_1K = new BigDecimal("0.05");
    private static final int MAX_TOKENS = 60;
    private static final BigDecimal BUDGET = new BigDecimal("0.50");

    private static FakeOpenAiServer upstream;
    private static GatewayStack stack;

    @BeforeAll
    static void startGateway() {
        upstream = FakeOpenAiServer.start().models("m-gov", "m-gov-other")
                .reply(String.join(" ", Collections.nCopies(MAX_TOKENS, "word")));
        stack = ThreeRouters.stack();
        stack.admin.putProvider("""
                {"name": "gov", "type": "openai-compatible", "base_url": "%s", "api_key": "${API_KEY}",
                 "models": [{"id": "m-gov", "cost_per_1k_input": %s, "cost_per_1k_output": %s},
                            {"id": "m-gov-other", "cost_per_1k_input": %s, "cost_per_1k_output": %s}]}
                """.formatted(upstream.baseUrl(), INPUT_PER_1K, OUTPUT_PER_1K, INPUT_PER_1K, OUTPUT_PER_1K));
    }

    @AfterAll
    static void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void concurrentRequestsOnThreeRoutersNeverOvershootABudgetAndUseItUp() throws Exception {
        String[] key = stack.admin.createKeyWith("""
                {"name": "gov-budget", "max_budget_usd": "0.50", "budget_period": "total"}""");
        awaitKnownEverywhere(key[1]);
        String run = "gov-budget-" + UUID.randomUUID().toString().substring(0, 8);
        AtomicInteger sent = new AtomicInteger();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        Map<String, Integer> refusals = new ConcurrentHashMap<>();
        AtomicInteger largestBody = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(200);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 200; w++) {
            int worker = w;
            workers.add(clients.submit(() -> {
                for (int n = 0;; n++) {
                    int i = sent.incrementAndGet();
                    String id = run + "-" + i;
                    ServiceProcess router = stack.routers.get((worker + n) % stack.routers.size());
                    String body = chatBody("m-gov", id, (worker + n) % 2 == 0);
                    largestBody.accumulateAndGet(body.getBytes(StandardCharsets.UTF_8).length, Math::max);
                    HttpResponse<String> answer = chat(router, key[1], id, body);
                    if (answer.statusCode() == 200) {
                        answered.add(id);
                    } else {
                        String code = json(answer.body()).path("error").path("code").asText();
                        refusals.merge(answer.statusCode() + " " + code, 1, Integer::sum);
                        return; // a client stops at its first refusal
                    }
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        clients.shutdown();

        assertEquals(Set.of("429 budget_exceeded"), refusals.keySet(), "every refusal is a budget refusal");
        BigDecimal billed = billedSpend(run, answered);
        BigDecimal reservation = BigDecimal.valueOf(largestBody.get()).multiply(INPUT_PER_1K)
                .add(BigDecimal.valueOf(MAX_TOKENS).multiply(OUTPUT_PER_1K)).movePointLeft(3);
        System.out.printf("budget %s: %d answered, %s refused, billed %s (one reservation %s)%n", BUDGET,
                answered.size(), refusals, billed, reservation);
        assertTrue(billed.compareTo(BUDGET) <= 0, "billed " + billed + " must not exceed " + BUDGET);
        assertTrue(billed.compareTo(BUDGET.subtract(reservation)) >= 0,
                "billed " + billed + " reaches the budget less one request's reservation " + reservation);

        JsonNode view = json(stack.admin.expect(200, "GET", "/api/keys/" + key[0], null)).path("budget");
        assertEquals(0, billed.compareTo(view.path("spend_usd").decimalValue()), "the key's spend: " + view);
    }

    @Test
    void aRateLimitHoldsAcrossRoutersAndItsHeadersCountDown() throws Exception {
        int limit = 120;
        String[] key = stack.admin.createKeyWith("""
                {"name": "gov-rate", "requests_per_minute": %d}""".formatted(limit));
        awaitNewMinuteIfLate();
        // the first requests are this router's own: the remaining it shows counts down by one
        ServiceProcess first = stack.routers.get(0);
        HttpResponse<String> answer = awaitServed(first, key[1]);
        long remaining = Long.parseLong(answer.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        assertEquals(String.valueOf(limit), answer.headers().firstValue("x-ratelimit-limit-requests").orElse(null));
        assertTrue(answer.headers().firstValue("x-ratelimit-reset-requests").orElse("").matches("\\d+s"));
        for (int n = 0; n < 5; n++) {
            answer = chat(first, key[1], "gov-rate-" + n, chatBody("m-gov", "count down", false));
            long now = Long.parseLong(answer.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
            assertEquals(remaining - 1, now, "counts down: " + answer.headers().map());
            remaining = now;
        }

        // twice the limit, from 12 clients on all three routers; each answer counted in the minute it came back
        Map<Long, AtomicInteger> served = new ConcurrentHashMap<>();
        Map<Long, AtomicInteger> refusedIn = new ConcurrentHashMap<>();
        served.computeIfAbsent(Instant.now().getEpochSecond() / 60, m -> new AtomicInteger()).addAndGet(6);
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(12);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 12; w++) {
            int worker = w;
            workers.add(clients.submit(() -> {
                for (int n = 0; n < 2 * limit / 12; n++) {
                    ServiceProcess router = stack.routers.get((worker + n) % stack.routers.size());
                    HttpResponse<String> got = chat(router, key[1], "gov-rate", chatBody("m-gov", "rate", false));
                    long minute = Instant.now().getEpochSecond() / 60;
                    if (got.statusCode() == 200) {
                        served.computeIfAbsent(minute, m -> new AtomicInteger()).incrementAndGet();
                    } else if (got.statusCode() == 429 && json(got.body()).path("error").path("code").asText()
                            .equals("rate_limit_exceeded") && got.headers().firstValue("retry-after").isPresent()
                            && "0".equals(got.headers().firstValue("x-ratelimit-remaining-requests").orElse(null))) {
                        refusedIn.computeIfAbsent(minute, m -> new AtomicInteger()).incrementAndGet();
                    } else {
                        wrong.add(got.statusCode() + " " + got.headers().map() + " " + got.body());
                    }
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        clients.shutdown();
        System.out.println("rate " + limit + "/min: served per minute " + new TreeMap<>(served) + ", refused "
                + new TreeMap<>(refusedIn));
        assertEquals(List.of(), wrong, "every answer is a 200 or a 429 rate_limit_exceeded with its headers");
        served.forEach((minute, count) -> assertTrue(count.get() <= limit, "minute " + minute + ": " + count));
        assertTrue(!refusedIn.isEmpty(), "twice the limit was offered");
        refusedIn.keySet().forEach(minute -> assertTrue(served.get(minute).get() >= limit * 95 / 100,
                "a minute with refusals served at least 95 % of the limit: " + served));
    }

    @Test
    void aTeamBudgetStopsEveryKeyOfTheTeam() throws Exception {
        String team = "gov-team-" + UUID.randomUUID().toString().substring(0, 8);
        stack.admin.expect(201, "POST", "/api/teams", """
                {"name": "%s", "max_budget_usd": "0.03", "budget_period": "day"}""".formatted(team));
        String[] a = stack.admin.createKeyWith("{\"name\": \"gov-team-a\", \"team\": \"" + team + "\"}");
        String[] b = stack.admin.createKeyWith("{\"name\": \"gov-team-b\", \"team\": \"" + team + "\"}");
        awaitKnownEverywhere(a[1]);
        awaitKnownEverywhere(b[1]);
        String run = "gov-team-" + UUID.randomUUID().toString().substring(0, 8);
        Set<String> answered = new HashSet<>();
        Set<String> stopped = new HashSet<>();
        for (int n = 0; stopped.size() < 2 && n < 100; n++) {
            String[] key = n % 2 == 0 ? a : b;
            String id = run + "-" + n;
            HttpResponse<String> answer = chat(stack.routers.get(n % stack.routers.size()), key[1], id,
                    chatBody("m-gov", id, false));
            if (answer.statusCode() == 200) {
                answered.add(id);
            } else {
                assertEquals(429, answer.statusCode(), answer.body());
                assertEquals("budget_exceeded", json(answer.body()).path("error").path("code").asText());
                stopped.add(key[0]);
            }
        }
        assertEquals(Set.of(a[0], b[0]), stopped, "the team's budget stops both keys");
        BigDecimal billed = billedSpend(run, answered);
        assertTrue(billed.compareTo(new BigDecimal("0.03")) <= 0, "the team's keys together billed " + billed);
    }

    @Test
    void aKeysModelsBlockOtherModelsAndConstrainAuto() {
        stack.admin.setRouting("auto", "{\"strategy\": \"cost-optimized\"}");
        String[] key = stack.admin.createKeyWith("""
                {"name": "gov-models", "models": ["m-gov-other"]}""");
        awaitKnownEverywhere(key[1]);
        for (ServiceProcess router : stack.routers) {
            HttpResponse<String> blocked = chat(router, key[1], "gov-models", chatBody("m-gov", "blocked", false));
            assertEquals(403, blocked.statusCode(), blocked.body());
            JsonNode error = json(blocked.body()).path("error");
            assertEquals("model_not_allowed", error.path("code").asText(), blocked.body());
            assertEquals("model", error.path("param").asText(), blocked.body());

            HttpResponse<String> auto = chat(router, key[1], "gov-models", chatBody("auto", "routed", false));
            assertEquals(200, auto.statusCode(), auto.body());
            assertEquals("m-gov-other", auto.headers().firstValue("x-visca-model").orElse(null), "auto stays within "
                    + "the key's models although m-gov costs the same");
        }
    }

    @Test
    void aRotatedKeysOldSecretWorksUntilItsGraceEnds() {
        String[] key = stack.admin.createKeyWith("{\"name\": \"gov-rotate\"}");
        awaitKnownEverywhere(key[1]);
        JsonNode rotated = json(stack.admin.expect(200, "POST", "/api/keys/" + key[0] + "/rotate",
                "{\"grace_seconds\": 4}"));
        String fresh = rotated.path("key").asText();
        Instant graceEnds = Instant.parse(rotated.path("previous_valid_until").asText());
        awaitKnownEverywhere(fresh);
        for (ServiceProcess router : stack.routers) {
            if (Instant.now().isBefore(graceEnds.minusMillis(500))) {
                assertEquals(200, models(router, key[1]).statusCode(), "the old secret works during the grace");
            }
        }
        while (Instant.now().isBefore(graceEnds.plusMillis(200))) {
            pause(100);
        }
        for (ServiceProcess router : stack.routers) {
            HttpResponse<String> old = models(router, key[1]);
            assertEquals(401, old.statusCode(), "after the grace: " + old.body());
            assertEquals(200, models(router, fresh).statusCode());
        }
    }

    @Test
    void anExpiredKeyIsRefusedAsExpired() {
        Instant expires = Instant.now().plusSeconds(4);
        String[] key = stack.admin.createKeyWith("""
                {"name": "gov-expiring", "expires_at": "%s"}""".formatted(expires));
        awaitKnownEverywhere(key[1]);
        while (Instant.now().isBefore(expires.plusMillis(100))) {
            pause(100);
        }
        for (ServiceProcess router : stack.routers) {
            HttpResponse<String> answer = chat(router, key[1], "gov-expired", chatBody("m-gov", "late", false));
            assertEquals(401, answer.statusCode(), answer.body());
            assertEquals("key_expired", json(answer.body()).path("error").path("code").asText(), answer.body());
        }
    }

    /** What the ledger billed for the run's requests, once every answered one is there. */
    private static BigDecimal billedSpend(String run, Set<String> answered) throws Exception {
        Map<String, Row> rows = new BillingLedger(stack.billingDb).awaitAll(run, answered, Duration.ofSeconds(60));
        assertTrue(rows.keySet().containsAll(answered), "every answered request is in the ledger");
        BigDecimal billed = BigDecimal.ZERO;
        for (Row row : rows.values()) {
            assertEquals(1, row.count(), "billed once: " + row);
            billed = billed.add(row.cost() == null ? BigDecimal.ZERO : row.cost());
        }
        return billed;
    }

    /** Waits until every router knows the key (GET /v1/models costs no budget and takes no request). */
    private static void awaitKnownEverywhere(String key) {
        for (ServiceProcess router : stack.routers) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (models(router, key).statusCode() != 200) {
                assertTrue(System.nanoTime() < deadline, router.url() + " never learned the key");
                pause(100);
            }
        }
    }

    private static HttpResponse<String> awaitServed(ServiceProcess router, String key) {
        awaitKnownEverywhere(key);
        HttpResponse<String> answer = chat(router, key, "gov-first", chatBody("m-gov", "first", false));
        assertEquals(200, answer.statusCode(), answer.body());
        return answer;
    }

    /** Rate windows are UTC minutes: a burst that must fall in one starts early enough in it. */
    private static void awaitNewMinuteIfLate() {
        long second = Instant.now().getEpochSecond() % 60;
        if (second >= 40) {
            pause((61 - second) * 1000);
        }
    }

    private static String chatBody(String model, String text, boolean stream) {
        return """
                {"model": "%s", "max_tokens": %d, "messages": [{"role": "user", "content": "Governed %s"}]%s}"""
                .formatted(model, MAX_TOKENS, text, stream
                        ? ", \"stream\": true, \"stream_options\": {\"include_usage\": true}"
                        : "");
    }

    private static HttpResponse<String> chat(ServiceProcess router, String key, String requestId, String body) {
        return send(HttpRequest.newBuilder(URI.create(router.url() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("x-request-id", requestId).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> models(ServiceProcess router, String key) {
        return send(HttpRequest.newBuilder(URI.create(router.url() + "/v1/models"))
                .header("Authorization", "Bearer " + key));
    }
}
