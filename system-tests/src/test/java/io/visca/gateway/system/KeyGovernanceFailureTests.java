package io.visca.gateway.system;

import static io.visca.gateway.system.SystemHttp.awaitTrue;
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
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.test.ServiceProcess;
import io.visca.gateway.system.BillingLedger.Leases;
import io.visca.gateway.system.BillingLedger.Row;

/**
 * Key governance when processes fail under load, on the {@link ThreeRouters} stack (billing's lease time and reclaim
 * grace shortened there: 10 s and 15 s): a router killed while it holds budget leases, a router stopped, the quota
 * store (billing) frozen. Whatever happens the billed spend of a key never exceeds its budget (from the ledger,
 * exactly), every answered request is billed once, and clients only ever see the refusals the router documents.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyGovernanceFailureTests {

    private static final BigDecimal INPUT_PER_1K = new BigDecimal("0.01");
    private static final BigDecimal OUTPUT_PER_1K = new BigDecimal("0.05");
    private static final int MAX_TOKENS = 60;
    private static final String MODEL = "m-gov-failure";
    private static final String BUDGET_EXCEEDED = "429 budget_exceeded";
    private static final String STORE_UNAVAILABLE = "503 quota_store_unavailable";
    /**
     * How long billing is frozen: the 60 s, scaled to the stack's 10 s leases (60 s by default). What of the
     * routers' and billing's behaviour depends on the outage's length is its length against the lease time and the
     * reclaim grace, and 12 s against 10 s and 15 s stands as 60 s against 60 s and 15 min: longer than a lease, so
     * every router's leases stop being usable during it (5 s before they expire) and expire at the store; shorter
     * than lease time plus grace, so nothing is reclaimed when the store wakes up (before the ledger caught up with
     * the usage events of the outage). One thing does not scale: billing's Kafka consumer is not evicted from its
     * group by 12 s (45 s session timeout) as it would be by 60 s; a consumer that rejoins gets the batches it did
     * not commit again, which billing stores once (its own tests: a redelivered event is neither stored nor settled
     * twice).
     */
    private static final Duration STORE_OUTAGE = Duration.ofSeconds(12);

    private static FakeOpenAiServer upstream;
    private static GatewayStack stack;
    private static BillingLedger ledger;

    @BeforeAll
    static void startGateway() {
        upstream = FakeOpenAiServer.start().models(MODEL)
                .reply(String.join(" ", Collections.nCopies(MAX_TOKENS, "word")));
        stack = ThreeRouters.stack();
        ledger = new BillingLedger(stack.billingDb);
        stack.admin.putProvider("""
                {"name": "gov-failure", "type": "openai-compatible", "base_url": "%s", "api_key": "${API_KEY}",
                 "models": [{"id": "%s", "cost_per_1k_input": %s, "cost_per_1k_output": %s}]}
                """.formatted(upstream.baseUrl(), MODEL, INPUT_PER_1K, OUTPUT_PER_1K));
        String[] unlimited = stack.admin.createKeyWith("{\"name\": \"gov-failure-warmup\"}");
        for (ServiceProcess router : stack.routers) {
            awaitTrue(router.url() + " serves " + MODEL, Duration.ofSeconds(30), () -> chat(router, unlimited[1],
                    "gov-failure-warmup", body(1)).statusCode() == 200);
        }
    }

    /** Each test (and each class sharing the stack after this one) starts with every router running. */
    @BeforeEach
    void startWithEveryRouter() {
        everyRouterRuns();
    }

    private static void everyRouterRuns() {
        for (ServiceProcess router : stack.routers) {
            if (!router.isAlive()) {
                router.launch();
            }
            router.awaitReady();
        }
    }

    @AfterAll
    static void restoreStack() {
        if (stack != null) {
            everyRouterRuns();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    @Order(1)
    void aKilledRoutersLeasesAreReclaimedAndTheOthersNeverOvershootTheBudget() throws Exception {
        BigDecimal budget = new BigDecimal("0.50");
        String[] key = budgetedKey("gov-kill", budget);
        String run = "gov-kill-" + UUID.randomUUID().toString().substring(0, 8);
        List<SteadyLoad> loads = loads(run, key[1]);
        ServiceProcess victim = stack.routers.get(2);
        String dead;
        Leases stuck;
        Instant killedAt;
        try {
            startUntilTheThirdServes(loads);
            victim.kill(); // SIGKILL: its leases stay open at the store, nothing gives them back
            killedAt = Instant.now();
            Set<String> servedByDead = Set.copyOf(loads.get(2).answered.keySet());
            // restarted at once, as an orchestrator does: it sends what its usage spool holds long before the dead
            // process's leases can be reclaimed (lease time + grace), so their bills settle on them first
            victim.launch();
            dead = routerOf(run + "-r3", servedByDead);
            stuck = ledger.leases(dead, key[0]);
            assertTrue(stuck.open() > 0, "the killed router held leases: " + stuck);

            // the others use what is free, then wait (429) until the dead leases are reclaimed, then use those too
            BigDecimal reservation = reservation();
            awaitTrue("the dead router's leases are reclaimed and the budget used up", Duration.ofSeconds(60),
                    () -> ledger.leases(dead, key[0]).open() == 0
                            && ledger.keySpend(key[0]).add(reservation).compareTo(budget) >= 0);
        } finally {
            SteadyLoad.stopAll(loads);
        }
        Duration reclaimedAfter = Duration.between(killedAt, Instant.now());
        Leases after = ledger.leases(dead, key[0]);
        assertEquals(stuck.open(), after.reclaimed(), "the store reclaimed the leases it died with: " + after);

        onlyBudgetRefusals(loads.subList(0, 2), "the other routers' clients");
        assertTrue(Set.of(BUDGET_EXCEEDED, "503 gateway_starting").containsAll(loads.get(2).refusals.keySet()),
                "the restarted router refuses only while starting or over budget: " + loads.get(2));
        BigDecimal billed = billedWithin(key, budget, run, loads, Set.of());
        System.out.printf("router killed holding %s of a $%s budget (%s): %s; billed %s; leases reclaimed and "
                + "the budget used up %d s after the kill%n", stuck.outstanding(), budget, after, loads, billed,
                reclaimedAfter.toSeconds());
    }

    @Test
    @Order(2)
    void aStoppedRouterGivesItsLeasesBackAtOnce() throws Exception {
        BigDecimal budget = new BigDecimal("0.40");
        String[] key = budgetedKey("gov-stop", budget);
        String run = "gov-stop-" + UUID.randomUUID().toString().substring(0, 8);
        List<SteadyLoad> loads = loads(run, key[1]);
        ServiceProcess victim = stack.routers.get(2);
        Leases stopped;
        Duration usedUpAfter;
        try {
            startUntilTheThirdServes(loads);
            victim.stop(); // SIGTERM under load; returns once the process has exited
            Instant stoppedAt = Instant.now();
            Set<String> servedByStopped = Set.copyOf(loads.get(2).answered.keySet());
            victim.launch();
            String gone = routerOf(run + "-r3", servedByStopped);
            stopped = ledger.leases(gone, key[0]);
            assertEquals(0, stopped.open(), "the stopped router holds nothing at the store: " + stopped);
            assertEquals(0, stopped.reclaimed(), "its leases were given back, not reclaimed: " + stopped);

            // everything reserved is the other routers' now; they use the budget up without waiting for a reclaim
            BigDecimal reservation = reservation();
            awaitTrue("the others use the budget up", Duration.ofSeconds(30),
                    () -> ledger.keySpend(key[0]).add(reservation).compareTo(budget) >= 0);
            usedUpAfter = Duration.between(stoppedAt, Instant.now());
            assertEquals(0, ledger.leases(gone, key[0]).reclaimed(), "nothing of the stopped router was reclaimed");
        } finally {
            SteadyLoad.stopAll(loads);
        }
        onlyBudgetRefusals(loads.subList(0, 2), "the other routers' clients");
        BigDecimal billed = billedWithin(key, budget, run, loads, Set.of());
        System.out.printf("router stopped (%s): %s; billed %s of $%s, used up %d ms after the stop%n", stopped, loads,
                billed, budget, usedUpAfter.toMillis());
    }

    @Test
    @Order(3)
    void aFrozenQuotaStoreServesWhatWasLeasedThenFailsClosedAndNothingIsLostOrOverspent() throws Exception {
        BigDecimal budget = new BigDecimal("0.40");
        String[] key = budgetedKey("gov-store", budget);
        String run = "gov-store-" + UUID.randomUUID().toString().substring(0, 8);
        List<SteadyLoad> before = loads(run + "-before", key[1]);
        List<SteadyLoad> during = loads(run + "-during", key[1]);
        List<SteadyLoad> after = loads(run + "-after", key[1]);
        Set<String> probes = new HashSet<>();
        BigDecimal leasedAtStop;
        Leases atWake;
        try {
            before.forEach(load -> load.start(2, Duration.ofMillis(100)));
            awaitTrue("every router serves", Duration.ofSeconds(20),
                    () -> before.stream().allMatch(load -> load.answered.size() >= 3));
            stack.billing.suspend(); // SIGSTOP: its sockets stay open, it answers nothing
            Instant stoppedAt = Instant.now();
            try {
                // billing is frozen but its database is not: what it has lent is what it had committed
                leasedAtStop = ledger.committed(key[0]);
                before.forEach(SteadyLoad::halt);
                during.forEach(load -> load.start(2, Duration.ofMillis(100)));
                pause(Duration.between(Instant.now(), stoppedAt.plus(STORE_OUTAGE)).toMillis());
                SteadyLoad.stopAll(during); // each client's last request is answered (503 at most 5 s later) before billing wakes
                SteadyLoad.stopAll(before);
            } finally {
                stack.billing.resume();
            }
            stack.billing.awaitReady();
            atWake = ledger.leases(null, key[0]);
            for (ServiceProcess router : stack.routers) {
                awaitTrue(router.url() + " admits again", Duration.ofSeconds(15), () -> {
                    String id = run + "-probe-" + probes.size();
                    HttpResponse<String> answer = chat(router, key[1], id, body(probes.size()));
                    probes.add(id);
                    return answer.statusCode() != 503;
                });
            }
            after.forEach(load -> load.start(2, Duration.ofMillis(100)));
            awaitTrue("every router refuses over budget", Duration.ofSeconds(45),
                    () -> after.stream().allMatch(load -> load.refusals.containsKey(BUDGET_EXCEEDED)));
        } finally {
            SteadyLoad.stopAll(before);
            SteadyLoad.stopAll(during);
            SteadyLoad.stopAll(after);
        }

        for (SteadyLoad load : before) {
            assertTrue(Set.of(STORE_UNAVAILABLE).containsAll(load.refusals.keySet()), "before: " + load);
            assertEquals(Set.of(), load.failed, "before");
        }
        long servedDuring = during.stream().mapToLong(load -> load.answered.size()).sum();
        for (SteadyLoad load : during) {
            assertTrue(Set.of(STORE_UNAVAILABLE).containsAll(load.refusals.keySet()),
                    "while the store is down only 503 quota_store_unavailable: " + load + " " + load.sampleBodies);
            assertEquals(Set.of(), load.failed, "during");
            assertTrue(load.refusals.containsKey(STORE_UNAVAILABLE), "fails closed once its leases are used or "
                    + "expired: " + load);
            assertEquals(Set.of("5"), load.retryAfters.get(503), "a 503 says when to retry");
            JsonNode error = json(load.sampleBodies.get(503)).path("error");
            assertEquals("server_error", error.path("type").asText(), load.sampleBodies.get(503));
        }
        assertTrue(servedDuring > 0, "requests are served under the leases held when the store stopped");
        onlyBudgetRefusals(after, "after recovery, clients");

        List<SteadyLoad> all = new ArrayList<>(before);
        all.addAll(during);
        all.addAll(after);
        BigDecimal billed = billedWithin(key, budget, run, all, probes);
        BigDecimal billedByStop = BigDecimal.ZERO;
        for (String phase : List.of("-before", "-during")) {
            for (Row row : ledger.rows(run + phase).values()) {
                billedByStop = billedByStop.add(row.cost());
            }
        }
        assertTrue(billedByStop.compareTo(leasedAtStop) <= 0, "until the store woke up nothing was served beyond "
                + "what it had lent: billed " + billedByStop + ", committed at the stop " + leasedAtStop);
        System.out.printf("quota store frozen %d s: before %s%n  during (%d served) %s%n  after %s%n  billed %s of $%s "
                + "(%s by the stop, when %s was committed); leases when it woke: %s%n", STORE_OUTAGE.toSeconds(),
                before, servedDuring, during, after, billed, budget, billedByStop, leasedAtStop, atWake);
    }

    @Test
    @Order(4)
    void aRecoveredQuotaStoreLetsTheBudgetBeUsedUpWithoutWaitingForReclaims() throws Exception {
        BigDecimal budget = new BigDecimal("0.40");
        String[] key = budgetedKey("gov-store-under-use", budget);
        List<SteadyLoad> loads = loads("gov-under-use-" + UUID.randomUUID().toString().substring(0, 8), key[1]);
        try {
            loads.forEach(load -> load.start(2, Duration.ofMillis(100)));
            awaitTrue("every router serves", Duration.ofSeconds(20),
                    () -> loads.stream().allMatch(load -> load.answered.size() >= 3));
            stack.billing.suspend();
            try {
                pause(STORE_OUTAGE.toMillis());
            } finally {
                stack.billing.resume();
            }
            BigDecimal reservation = reservation();
            awaitTrue("the budget is used up", Duration.ofSeconds(40),
                    () -> ledger.keySpend(key[0]).add(reservation).compareTo(budget) >= 0);
        } finally {
            SteadyLoad.stopAll(loads);
        }
        Leases leases = ledger.leases(null, key[0]);
        assertEquals(0, leases.reclaimed(), "the budget was used up without waiting for the store to reclaim what "
                + "the routers held when it stopped: " + leases + " " + loads);
    }

    /**
     * Every request the clients saw answered is in the ledger exactly once, and everything billed to the key is
     * within its budget, exactly, and is what the quota store counts as the key's spend.
     *
     * @return the key's billed spend
     */
    private static BigDecimal billedWithin(String[] key, BigDecimal budget, String run, List<SteadyLoad> loads,
            Set<String> alsoAnswered) throws Exception {
        Set<String> answered = new HashSet<>(alsoAnswered);
        loads.forEach(load -> answered.addAll(load.answered.keySet()));
        Map<String, Row> rows = ledger.awaitAll(run, answered, Duration.ofSeconds(60));
        List<String> missing = new ArrayList<>(answered);
        missing.removeAll(rows.keySet());
        assertEquals(List.of(), missing, "answered requests missing from the ledger");
        rows.forEach((id, row) -> assertEquals(1, row.count(), "billed once: " + id + " " + row));
        BigDecimal billed = ledger.keySpend(key[0]);
        assertTrue(billed.compareTo(budget) <= 0, "billed " + billed + " must not exceed the budget " + budget);
        awaitTrue("the store's spend is the ledger's", Duration.ofSeconds(10), () -> billed.compareTo(
                json(stack.admin.expect(200, "GET", "/api/keys/" + key[0], null)).path("budget").path("spend_usd")
                        .decimalValue()) == 0);
        return billed;
    }

    /** Starts the loads and waits until the third router (the one a test takes down) has served a few requests. */
    private static void startUntilTheThirdServes(List<SteadyLoad> loads) {
        loads.forEach(load -> load.start(2, Duration.ofMillis(100)));
        awaitTrue("the third router serves", Duration.ofSeconds(20), () -> loads.get(2).answered.size() >= 8);
    }

    /** The loads' clients got answers and budget refusals only, and lost no connection. */
    private static void onlyBudgetRefusals(List<SteadyLoad> loads, String whose) {
        for (SteadyLoad load : loads) {
            assertTrue(Set.of(BUDGET_EXCEEDED).containsAll(load.refusals.keySet()),
                    whose + " see only budget refusals: " + load + " " + load.sampleBodies);
            assertEquals(Set.of(), load.failed, whose + " lose no connection");
        }
    }

    /** The one router process whose leases these requests (answered by one router) were admitted under. */
    private static String routerOf(String run, Set<String> answered) throws Exception {
        ledger.awaitAll(run, answered, Duration.ofSeconds(30));
        Set<String> routers = ledger.routersOf(answered);
        assertEquals(1, routers.size(), "one router process served " + run + ": " + routers);
        return routers.iterator().next();
    }

    private static String[] budgetedKey(String name, BigDecimal budget) {
        String[] key = stack.admin.createKeyWith("""
                {"name": "%s", "max_budget_usd": "%s", "budget_period": "total"}""".formatted(name, budget));
        for (ServiceProcess router : stack.routers) {
            awaitTrue(router.url() + " knows the key", Duration.ofSeconds(20), () -> send(HttpRequest.newBuilder(
                    URI.create(router.url() + "/v1/models")).header("Authorization", "Bearer " + key[1]))
                    .statusCode() == 200);
        }
        return key;
    }

    private static List<SteadyLoad> loads(String run, String clientKey) {
        return SteadyLoad.onEach(stack.routers, run, clientKey, KeyGovernanceFailureTests::body, INPUT_PER_1K,
                OUTPUT_PER_1K);
    }

    /** Half streamed, half not. */
    private static String body(int n) {
        return """
                {"model": "%s", "max_tokens": %d, "messages": [{"role": "user", "content": "Governed failure %d"}]%s}"""
                .formatted(MODEL, MAX_TOKENS, n, n % 2 == 0
                        ? ", \"stream\": true, \"stream_options\": {\"include_usage\": true}"
                        : "");
    }

    /**
     * The most a router reserves for one request of the loads: one prompt token per byte of the largest body at the
     * input price, plus {@code max_tokens} at the output price.
     */
    private static BigDecimal reservation() {
        int largest = body(1_000_000).getBytes(StandardCharsets.UTF_8).length;
        return BigDecimal.valueOf(largest).multiply(INPUT_PER_1K)
                .add(BigDecimal.valueOf(MAX_TOKENS).multiply(OUTPUT_PER_1K)).movePointLeft(3);
    }

    private static HttpResponse<String> chat(ServiceProcess router, String key, String requestId, String body) {
        return send(HttpRequest.newBuilder(URI.create(router.url() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("x-request-id", requestId).POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}
