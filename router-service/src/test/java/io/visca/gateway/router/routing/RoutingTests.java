package io.visca.gateway.router.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.FinishedRequests;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;
import io.visca.gateway.router.usage.FinishedRequest;

/**
 * Strategies, fallback and the filters, end to end: the real registry holds the providers, fakes speak OpenAI's wire
 * format, requests carry a {@code routing} object as the SDK sends it through {@code extra_body}.
 */
@QuarkusTest
class RoutingTests {

    private static final String THREE = "[\"cheap-ai\",\"mid-ai\",\"pricey-ai\"]";
    private static FakeOpenAiServer cheap;
    private static FakeOpenAiServer mid;
    private static FakeOpenAiServer pricey;
    private static FakeOpenAiServer strict;
    private static FakeOpenAiServer backup;

    @BeforeAll
    static void providers() {
        cheap = FakeOpenAiServer.start().models("route-tiny", "route-cheap").reply("cheap answer");
        mid = FakeOpenAiServer.start().models("route-mid", "route-strict").reply("mid answer");
        pricey = FakeOpenAiServer.start().models("route-pricey").reply("pricey answer");
        strict = FakeOpenAiServer.start().models("route-strict").reply("strict answer");
        backup = FakeOpenAiServer.start().models("route-strict").reply("backup answer");
        // the cheapest model of all has a context window too small for the requests below
        RegistryAdmin.putProvider("""
                {"name": "cheap-ai", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "retry": {"max_retries": 1, "backoff_ms": 10},
                 "models": [{"id": "route-tiny", "context_window": 64, "cost_per_1k_input": 0.00001,
                             "cost_per_1k_output": 0.00002},
                            {"id": "route-cheap", "context_window": 100000, "cost_per_1k_input": 0.001,
                             "cost_per_1k_output": 0.002}]}""".formatted(cheap.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "mid-ai", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "models": [{"id": "route-mid", "context_window": 100000, "cost_per_1k_input": 0.01,
                             "cost_per_1k_output": 0.02}]}""".formatted(mid.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "pricey-ai", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "models": [{"id": "route-pricey", "context_window": 100000, "cost_per_1k_input": 0.1,
                             "cost_per_1k_output": 0.2}]}""".formatted(pricey.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "strict-ai", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "retry": {"max_retries": 1, "backoff_ms": 10},
                 "models": [{"id": "route-strict"}]}""".formatted(strict.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "backup-ai", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "models": [{"id": "route-strict"}]}""".formatted(backup.baseUrl()));
        RouterApi.awaitModel("route-cheap");
        RouterApi.awaitModel("route-mid");
        RouterApi.awaitModel("route-pricey");
        RouterApi.awaitStatus("/v1/models/route-strict", RouterApi.key(), 200);
        awaitProviders("route-strict", 2);
    }

    @AfterAll
    static void stop() {
        for (String name : List.of("cheap-ai", "mid-ai", "pricey-ai", "strict-ai", "backup-ai")) {
            RegistryAdmin.deleteProvider(name);
        }
        for (FakeOpenAiServer fake : List.of(cheap, mid, pricey, strict, backup)) {
            fake.close();
        }
    }

    /** Waits until {@code /v1/models/{model}} lists {@code count} providers. */
    static void awaitProviders(String model, int count) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode found = Chats.json(RouterApi.request().get("/v1/models/" + model).asString());
            if (found.path("providers").size() == count) {
                return;
            }
            sleep(25);
        }
        throw new AssertionError(model + " is not served by " + count + " providers");
    }

    static Response chat(String model, boolean stream, String routing) {
        return RouterApi.request().body("{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":100,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Which model is the cheapest?\"}]"
                + (routing == null ? "" : ",\"routing\":" + routing) + "}").post("/v1/chat/completions");
    }

    static long chatCalls(FakeOpenAiServer fake) {
        return fake.requests().stream().filter(r -> r.path().endsWith("/chat/completions")).count();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void costOptimizedAutoPicksTheCheapestModelThatFitsAndFallsBackWhenItFails() {
        String routing = "{\"strategy\":\"cost-optimized\",\"providers\":" + THREE + ",\"fallback\":true}";
        Response first = chat("auto", false, routing);
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals("cheap-ai", first.header("x-visca-provider"));
        assertEquals("route-cheap", first.header("x-visca-model"), "route-tiny cannot fit ~10 + 100 tokens in 64");
        assertEquals("cost-optimized", first.header("x-visca-strategy"));
        assertEquals("1", first.header("x-visca-attempts"));
        assertFalse(cheap.requests().get(cheap.requests().size() - 1).body().contains("routing"),
                "the routing object is the gateway's: it never goes upstream");

        cheap.failWith(500, null);
        try {
            Response fallback = chat("auto", false, routing);
            assertEquals(200, fallback.statusCode(), fallback.asString());
            assertEquals("mid-ai", fallback.header("x-visca-provider"));
            assertEquals("route-mid", fallback.header("x-visca-model"));
            assertEquals("3", fallback.header("x-visca-attempts"), "a try and a retry on cheap-ai, then mid-ai");
            assertEquals("mid answer", Chats.json(fallback.asString()).at("/choices/0/message/content").asText());
            FinishedRequest record = FinishedRequests.get(fallback.header("x-request-id"));
            assertEquals(3, record.attempts());
            assertEquals("cheap-ai", record.attemptLog().get(0).provider());
            assertEquals(500, record.attemptLog().get(0).httpStatus());
            assertEquals("upstream_http_500", record.attemptLog().get(1).errorCode());
            assertEquals("mid-ai", record.attemptLog().get(2).provider());
            assertEquals(null, record.attemptLog().get(2).errorCode());
            assertEquals("cost-optimized", record.strategy());
        } finally {
            cheap.healthy();
        }
    }

    @Test
    void withFallbackOffTheFirstFailureIsTheAnswer() {
        cheap.failWith(503, null);
        try {
            Response failed = chat("auto", false, "{\"providers\":" + THREE + ",\"fallback\":false}");
            assertEquals(502, failed.statusCode(), failed.asString());
            assertTrue(failed.asString().contains("cheap-ai"), failed.asString());
            assertEquals("2", failed.header("x-visca-attempts"), "the provider's own retry still applies");
        } finally {
            cheap.healthy();
        }
    }

    @Test
    void priorityFollowsTheAllowListOrder() {
        Response served = chat("auto", false, "{\"strategy\":\"priority\",\"providers\":[\"pricey-ai\",\"cheap-ai\"]}");
        assertEquals(200, served.statusCode(), served.asString());
        assertEquals("pricey-ai", served.header("x-visca-provider"));
        assertEquals("priority", served.header("x-visca-strategy"));
    }

    @Test
    void aClientErrorGoesStraightBackWithoutRetryOrFallback() {
        strict.failWith(400, null);
        long before = chatCalls(strict);
        long backupBefore = chatCalls(backup);
        try {
            Response rejected = chat("route-strict", false,
                    "{\"strategy\":\"priority\",\"providers\":[\"strict-ai\",\"backup-ai\"],\"fallback\":true}");
            assertEquals(400, rejected.statusCode(), rejected.asString());
            assertEquals("upstream_rejected_request", Chats.json(rejected.asString()).at("/error/code").asText());
            assertEquals(1, chatCalls(strict) - before, "no retry of a client error");
            assertEquals(0, chatCalls(backup) - backupBefore, "no fallback on a client error");
            assertEquals("1", rejected.header("x-visca-attempts"));
        } finally {
            strict.healthy();
        }
    }

    @Test
    void aStreamFallsBackBeforeItsFirstByte() {
        strict.failWith(503, null);
        try {
            Response streamed = chat("route-strict", true, "{\"strategy\":\"priority\",\"providers\":[\"strict-ai\","
                    + "\"backup-ai\"]}");
            assertEquals(200, streamed.statusCode(), streamed.asString());
            assertEquals("backup-ai", streamed.header("x-visca-provider"));
            assertEquals("3", streamed.header("x-visca-attempts"));
            String body = streamed.asString();
            assertTrue(body.contains("backup") && body.contains("answer") && body.endsWith("data: [DONE]\n\n"), body);
            assertFalse(body.contains("error"), body);
        } finally {
            strict.healthy();
        }
    }

    @Test
    void theRegistrysDefaultPolicyForAModelAppliesToRequestsWithoutRouting() {
        RegistryAdmin.setRouting("route-strict", "{\"strategy\":\"priority\",\"providers\":[\"strict-ai\","
                + "\"backup-ai\"]}");
        try {
            long start = System.nanoTime();
            while (!"strict-ai".equals(chat("route-strict", false, null).header("x-visca-provider"))) {
                assertTrue(System.nanoTime() - start < 10_000_000_000L, "the policy never reached the router");
                sleep(25);
            }
            RegistryAdmin.setRouting("route-strict", "{\"providers\":[\"backup-ai\",\"strict-ai\"]}");
            start = System.nanoTime();
            while (!"backup-ai".equals(chat("route-strict", false, null).header("x-visca-provider"))) {
                assertTrue(System.nanoTime() - start < 10_000_000_000L, "the changed policy never reached the router");
                sleep(25);
            }
            Response overridden = chat("route-strict", false, "{\"providers\":[\"strict-ai\"]}");
            assertEquals("strict-ai", overridden.header("x-visca-provider"), "the request's own routing wins");
        } finally {
            RegistryAdmin.setRouting("route-strict", null);
        }
    }

    @Test
    void anUnknownStrategyOrProviderIsA400NamingIt() {
        Response strategy = chat("auto", false, "{\"strategy\":\"fastest-please\"}");
        assertEquals(400, strategy.statusCode());
        JsonNode error = Chats.json(strategy.asString()).path("error");
        assertEquals("routing.strategy", error.path("param").asText());
        assertTrue(error.path("message").asText().contains("fastest-please"), error.toString());
        assertTrue(error.path("message").asText().contains("cost-optimized"), error.toString());

        Response provider = chat("auto", false, "{\"providers\":[\"cheap-ai\",\"no-such-ai\"]}");
        assertEquals(400, provider.statusCode());
        error = Chats.json(provider.asString()).path("error");
        assertEquals("routing.providers", error.path("param").asText());
        assertTrue(error.path("message").asText().contains("no-such-ai"), error.toString());

        Response shape = chat("auto", false, "{\"fallback\":\"yes\"}");
        assertEquals(400, shape.statusCode());
        assertEquals("routing.fallback", Chats.json(shape.asString()).at("/error/param").asText());
    }

    @Test
    void aRequestNoModelCanFitIsA400ThatSaysWhy() {
        Response tooBig = RouterApi.request().body("{\"model\":\"route-tiny\",\"max_tokens\":1000,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").post("/v1/chat/completions");
        assertEquals(400, tooBig.statusCode(), tooBig.asString());
        JsonNode error = Chats.json(tooBig.asString()).path("error");
        assertEquals("context_length_exceeded", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("context window 64"), error.toString());
    }
}
