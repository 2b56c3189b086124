package io.visca.gateway.system;

import static io.visca.gateway.system.SystemHttp.awaitTrue;
import static io.visca.gateway.system.SystemHttp.json;
import static io.visca.gateway.system.SystemHttp.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.system.BillingLedger.Row;

/**
 * Issue 18's graceful shutdown, as Kubernetes ends a pod: the router gets SIGTERM while streams and slow answers are
 * under way. It turns unready at once, finishes every request it had accepted (each stream to its {@code [DONE]}),
 * and hands their usage events to Kafka before it exits: billing has each of them once, with no router left to
 * replay a spool.
 */
class GracefulShutdownTests {

    /** 24 words: the fake streams 26 events, 450 ms apart: a stream takes 12 s, longer than the rest of a shutdown. */
    private static final String WORDS = "one two three four five six seven eight nine ten eleven twelve thirteen "
            + "fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone twentytwo twentythree twentyfour";

    private static FakeOpenAiServer streaming;
    private static FakeOpenAiServer slow;
    private static GatewayStack stack;
    private static String clientKey;

    @BeforeAll
    static void startGateway() {
        streaming = FakeOpenAiServer.start().models("m-stream").reply(WORDS).streamPacing(450);
        slow = FakeOpenAiServer.start().models("m-slow").delay(3_000);
        stack = GatewayStack.withBilling("admin-" + UUID.randomUUID(), "service-" + UUID.randomUUID(),
                Map.of());
        for (String[] provider : new String[][] { { "streaming", streaming.baseUrl(), "m-stream" },
                { "slow", slow.baseUrl(), "m-slow" } }) {
            stack.admin.putProvider("""
                    {"name": "%s", "type": "openai-compatible", "base_url": "%s",
                     "models": [{"id": "%s", "cost_per_1k_input": 0.001, "cost_per_1k_output": 0.002}],
                     "enabled": true}
                    """.formatted(provider[0], provider[1], provider[2]));
        }
        clientKey = stack.admin.createKey("graceful-shutdown")[1];
        awaitTrue("the router serves both models", Duration.ofSeconds(30),
                () -> chat("m-stream", false, "warm-" + UUID.randomUUID()).statusCode() == 200
                        && chat("m-slow", false, "warm-" + UUID.randomUUID()).statusCode() == 200);
    }

    @AfterAll
    static void stopGateway() {
        if (stack != null) {
            stack.close();
        }
        for (FakeOpenAiServer fake : new FakeOpenAiServer[] { streaming, slow }) {
            if (fake != null) {
                fake.close();
            }
        }
    }

    @Test
    void aRouterStoppedWithRequestsInFlightFinishesThemAndHandsOverTheirUsage() throws Exception {
        String run = "graceful-" + UUID.randomUUID().toString().substring(0, 8);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        streaming.clearRequests();
        slow.clearRequests();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            String id = run + "-" + i;
            ids.add(id);
            boolean stream = i < 6;
            calls.add(client.sendAsync(request(stream ? "m-stream" : "m-slow", stream, id),
                    HttpResponse.BodyHandlers.ofString()));
        }
        awaitTrue("every request reached its upstream", Duration.ofSeconds(10),
                () -> streaming.requests().size() == 6 && slow.requests().size() == 4);

        stack.router.terminate();
        awaitTrue("the router reports itself unready while it drains", Duration.ofSeconds(2),
                () -> readiness() == 503);
        assertTrue(calls.stream().anyMatch(call -> !call.isDone()),
                "the router turned unready with requests still running (else this test proves nothing)");

        for (int i = 0; i < calls.size(); i++) {
            HttpResponse<String> answer = calls.get(i).get(30, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), "request " + i + ": " + answer.body());
            if (i < 6) {
                assertTrue(answer.body().contains("twentyfour") && answer.body().trim().endsWith("data: [DONE]"),
                        "stream " + i + " ran to its end: " + answer.body());
            } else {
                assertEquals("stop", json(answer.body()).path("choices").path(0).path("finish_reason").asText());
            }
        }
        assertTrue(stack.router.awaitExit(Duration.ofSeconds(20)), "the router exited after draining");

        Map<String, Row> ledger = new BillingLedger(stack.billingDb).awaitAll(run, ids, Duration.ofSeconds(30));
        assertEquals(ids, ledger.keySet(), "every request the router finished is billed, without a restart");
        for (Row row : ledger.values()) {
            assertEquals(1, row.count(), "billed once: " + row);
            assertEquals("success", row.status(), row.toString());
        }
        stack.router.start();
        stack.router.awaitReady();
    }

    private static int readiness() {
        try {
            return send(HttpRequest.newBuilder(URI.create(stack.router.managementUrl() + "/q/health/ready")))
                    .statusCode();
        } catch (RuntimeException unreachable) {
            return -1;
        }
    }

    private static HttpResponse<String> chat(String model, boolean stream, String requestId) {
        return send(HttpRequest.newBuilder(request(model, stream, requestId), (name, value) -> true));
    }

    private static HttpRequest request(String model, boolean stream, String requestId) {
        return HttpRequest.newBuilder(URI.create(stack.router.url() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + clientKey)
                .header("Content-Type", "application/json").header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model": "%s", "stream": %s, "messages": [{"role": "user", "content": "count"}]}
                        """.formatted(model, stream)))
                .build();
    }
}
