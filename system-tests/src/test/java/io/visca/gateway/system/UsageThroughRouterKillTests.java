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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.system.BillingLedger.Row;

/**
 * Issue 14's promise about money, tried the way it fails in production: the router process is killed (SIGKILL)
 * under a steady load of chats and started again, and billing's ledger must hold every request the clients saw
 * answered exactly once, at exactly the price × tokens the clients reckon; while the restarted router loads, no
 * valid key is told it is invalid. Billing keys its ledger on the router's event id, so requests that share a client
 * {@code x-request-id} are billed each.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UsageThroughRouterKillTests {

    private static final BigDecimal INPUT_PER_1K = new BigDecimal("0.0015");
    private static final BigDecimal OUTPUT_PER_1K = new BigDecimal("0.002");

    private static FakeOpenAiServer upstream;
    private static GatewayStack stack;
    private static String clientKey;

    @BeforeAll
    static void startGateway() {
        upstream = FakeOpenAiServer.start().models("m-billed");
        // fsyncs 2 s apart: a kill then finds up to 2 s of answered requests not yet fsynced (with answers not
        // waiting for the spool write, ROUTER_USAGE_SPOOL_WRITE_BEFORE_ANSWER=false, this test loses them)
        stack = GatewayStack.withBilling("admin-" + UUID.randomUUID(), "service-" + UUID.randomUUID(),
                Map.of("API_KEY", "sk-" + UUID.randomUUID(), "ROUTER_USAGE_SPOOL_FSYNC_INTERVAL", "2s"));
        stack.admin.putProvider("""
                {"name": "billed", "type": "openai-compatible", "base_url": "%s", "api_key": "${API_KEY}",
                 "models": [{"id": "m-billed", "context_window": 8192,
                             "cost_per_1k_input": %s, "cost_per_1k_output": %s}],
                 "enabled": true}
                """.formatted(upstream.baseUrl(), INPUT_PER_1K, OUTPUT_PER_1K));
        clientKey = stack.admin.createKey("usage-through-kill")[1];
        awaitServed();
    }

    @AfterAll
    static void stopGateway() {
        if (stack != null) {
            stack.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    @Order(1)
    void everyAnsweredRequestIsBilledOnceAtItsPriceThroughARouterKill() throws Exception {
        billedOnceThrough("kill", stack.router::kill);
    }

    @Test
    @Order(3)
    void everyAnsweredRequestIsBilledOnceAtItsPriceThroughARouterStop() throws Exception {
        billedOnceThrough("stop", stack.router::stop); // SIGTERM: a graceful shutdown under load
    }

    /** Steady load, the router taken down by {@code down} and launched again while the clients go on. */
    private static void billedOnceThrough(String how, Runnable down) throws Exception {
        String run = how + "-" + UUID.randomUUID().toString().substring(0, 8);
        SteadyLoad load = new SteadyLoad(stack.router.url(), clientKey, run, UsageThroughRouterKillTests::chat,
                INPUT_PER_1K, OUTPUT_PER_1K);
        try (load) {
            load.start(8, Duration.ofMillis(80)); // ~100 requests a second
            Thread.sleep(6_000);
            down.run();
            stack.router.launch(); // the clients go on while it comes up
            stack.router.awaitReady();
            Thread.sleep(6_000);
        }
        assertTrue(load.answered.size() > 200, "the load ran: " + load);
        assertEquals(0, load.status(401), "a valid key was refused while the router loaded: " + load
                + " " + load.sampleBodies.get(401));
        Set<Integer> expected = new HashSet<>(List.of(503));
        assertTrue(expected.containsAll(load.statuses.keySet()), "only 503 (starting) besides 200: " + load + " "
                + load.sampleBodies);
        if (load.status(503) > 0) {
            JsonNode error = json(load.sampleBodies.get(503)).path("error");
            assertEquals("gateway_starting", error.path("code").asText(), load.sampleBodies.get(503));
            assertEquals("server_error", error.path("type").asText(), load.sampleBodies.get(503));
            assertEquals(Set.of("1"), load.retryAfters.get(503), "every 503 says when to retry");
        }

        Map<String, Row> ledger = new BillingLedger(stack.billingDb).awaitAll(run, load.answered.keySet(),
                Duration.ofSeconds(90));
        List<String> missing = new ArrayList<>();
        BigDecimal billed = BigDecimal.ZERO;
        for (var answered : load.answered.entrySet()) {
            Row row = ledger.get(answered.getKey());
            if (row == null || !row.status().equals("success")) {
                missing.add(answered.getKey() + "=" + row);
                continue;
            }
            assertEquals(1, row.count(), "billed once: " + answered.getKey());
            assertEquals(0, answered.getValue().compareTo(row.cost()),
                    answered.getKey() + " costs " + answered.getValue() + " by the client's reckoning, billed " + row.cost());
            billed = billed.add(row.cost());
        }
        assertEquals(List.of(), missing, "answered requests missing from the ledger (" + load + ")");
        assertEquals(0, load.answeredCost().compareTo(billed), load.answeredCost() + " vs " + billed);
        // a success row the client did not see answered can only be a request the kill cut after its upstream
        // answered (the upstream did the work; its provider bills it too)
        for (var row : ledger.entrySet()) {
            if (row.getValue().status().equals("success") && !load.answered.containsKey(row.getKey())) {
                assertTrue(load.failed.contains(row.getKey()), "billed but neither answered nor cut: " + row);
            }
        }
        long extra = ledger.entrySet().stream().filter(
                r -> r.getValue().status().equals("success") && !load.answered.containsKey(r.getKey())).count();
        System.out.printf("router " + how + ": %s; ledger: %d success rows for the %d answered (+%d cut when it went down), "
                + "billed %s = the clients' %s%n", load,
                ledger.values().stream().filter(r -> r.status().equals(
                        "success")).count() - extra,
                load.answered.size(), extra, billed, load.answeredCost());
    }

    @Test
    @Order(2)
    void requestsSharingAClientRequestIdAreEachBilled() throws Exception {
        String shared = "shared-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(stack.router.url()
                    + "/v1/chat/completions")).header("Authorization", "Bearer " + clientKey)
                    .header("Content-Type", "application/json").header("x-request-id", shared)
                    .POST(HttpRequest.BodyPublishers.ofString(chat(i))));
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(shared, answer.headers().firstValue("x-request-id").orElse(null), "echoed to the client");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int rows;
        do {
            rows = new BillingLedger(stack.billingDb).count(shared);
        } while (rows < 5 && System.nanoTime() < deadline && pause(200));
        assertEquals(5, rows, "five requests, five ledger rows with correlation id " + shared);

        // as finance sees them: billing's records API, filtered by the correlation id
        HttpResponse<String> records = send(HttpRequest.newBuilder(URI.create(stack.billing.url()
                + "/api/usage/records?request_id=" + shared)).header("Authorization", "Bearer " + stack.adminToken));
        assertEquals(200, records.statusCode(), records.body());
        JsonNode data = json(records.body()).path("data");
        assertEquals(5, data.size(), records.body());
        Set<String> eventIds = new HashSet<>();
        for (JsonNode record : data) {
            assertEquals(shared, record.path("request_id").asText(), record.toString());
            eventIds.add(record.path("event_id").asText());
        }
        assertEquals(5, eventIds.size(), "five distinct event ids, none the client's: " + eventIds);
        assertTrue(!eventIds.contains(shared), eventIds.toString());
    }

    private static String chat(int n) {
        boolean stream = n % 3 == 0;
        return """
                {"model": "m-billed", "messages": [{"role": "user", "content": "Question number %d, please"}]%s}
                """.formatted(n, stream ? ", \"stream\": true, \"stream_options\": {\"include_usage\": true}" : "");
    }

    private static void awaitServed() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> last;
        do {
            last = send(HttpRequest.newBuilder(URI.create(stack.router.url() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + clientKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(chat(1))));
            if (last.statusCode() == 200) {
                return;
            }
        } while (System.nanoTime() < deadline && pause(250));
        throw new AssertionError("the router never served m-billed: " + last.statusCode() + " " + last.body());
    }
}
