package io.visca.gateway.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.errors.InternalServerException;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.Ports;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.FinishedRequests;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;
import io.visca.gateway.router.usage.FinishedRequest;

/** Upstreams that are slow, gone, misconfigured or break mid-stream: clear OpenAI-shaped errors, never a hang. */
@QuarkusTest
class UpstreamFailureTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeOpenAiServer upstream;
    private static Vertx vertx;
    private static HttpServer heldStream;
    private static final CompletableFuture<Void> clientHasFirstChunk = new CompletableFuture<>();

    @BeforeAll
    static void providers() throws Exception {
        upstream = FakeOpenAiServer.start().models("slow-model", "flaky-model", "secret-model", "either-model")
                .reply("one two three four five six seven eight");
        int closedPort = Ports.free();
        // a stream that sends its first chunk and the rest only once the client has that chunk: buffering would hang
        vertx = Vertx.vertx();
        heldStream = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            var response = request.response().setChunked(true).putHeader("content-type", "text/event-stream");
            response.write("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"held\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"first\"},"
                    + "\"finish_reason\":null}]}\n\n");
            clientHasFirstChunk.whenComplete((v, e) -> vertx.runOnContext(x -> response.end(
                    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"held\","
                            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" second\"},\"finish_reason\":"
                            + "\"stop\"}]}\n\ndata: [DONE]\n\n")));
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        RegistryAdmin.putProvider("""
                {"name": "slow-provider", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "retry": {"max_retries": 0}, "timeouts": {"connect_ms": 1000, "first_byte_ms": 400, "total_ms": 5000},
                 "models": [{"id": "slow-model"}, {"id": "flaky-model"}, {"id": "either-model"}]}"""
                .formatted(upstream.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "gone-provider", "type": "openai-compatible", "base_url": "http://127.0.0.1:%d/v1",
                 "auth": {"auth_type": "none"}, "retry": {"max_retries": 0}, "models": [{"id": "gone-model"}]}"""
                .formatted(closedPort));
        RegistryAdmin.putProvider("""
                {"name": "secretless-provider", "type": "openai-compatible", "base_url": "%s",
                 "api_key": "${RT_TEST_NOT_SET_ANYWHERE_KEY}", "models": [{"id": "secret-model"}, {"id": "either-model"}]}"""
                .formatted(upstream.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "held-provider", "type": "openai-compatible", "base_url": "http://127.0.0.1:%d/v1",
                 "auth": {"auth_type": "none"}, "models": [{"id": "held-model"}]}""".formatted(heldStream.actualPort()));
        RouterApi.awaitModel("held-model");
        RouterApi.awaitModel("secret-model");
        RouterApi.awaitModel("either-model");
        RouterApi.awaitModel("gone-model");
        RouterApi.awaitModel("slow-model");
    }

    @AfterEach
    void reset() {
        upstream.healthy().delay(0).breakStreamAfter(0);
    }

    @AfterAll
    static void stop() throws Exception {
        for (String name : new String[] { "slow-provider", "gone-provider", "secretless-provider", "held-provider" }) {
            RegistryAdmin.deleteProvider(name);
        }
        upstream.close();
        heldStream.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Response chat(String model, boolean stream) {
        return RouterApi.request().body("{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").post("/v1/chat/completions");
    }

    private static JsonNode error(Response response) {
        try {
            return JSON.readTree(response.asString()).path("error");
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.asString(), e);
        }
    }

    @Test
    void upstreamSlowerThanItsFirstByteTimeoutIs504() {
        upstream.delay(3000);
        InternalServerException timedOut = assertThrows(InternalServerException.class,
                () -> RouterApi.sdk().chat().completions().create(Chats.chat("slow-model").build()));
        assertEquals(504, timedOut.statusCode());
        assertEquals("upstream_timeout", timedOut.code().orElseThrow());

        Response response = chat("slow-model", false);

        assertEquals(504, response.statusCode());
        assertEquals("upstream_timeout", error(response).path("code").asText());
        assertTrue(error(response).path("message").asText().contains("slow-provider"));
    }

    @Test
    void refusedConnectionIs502Unreachable() {
        Response response = chat("gone-model", false);

        assertEquals(502, response.statusCode());
        assertEquals("upstream_unreachable", error(response).path("code").asText());
        assertEquals("gone-provider", response.header("x-visca-provider"));
    }

    @Test
    void aProviderWithoutCredentialsIsSkippedNamingTheVariableAndNeverAValue() {
        Response response = chat("secret-model", false);

        // no credentials is not a failed call: routing leaves the provider out, and nothing else serves the model
        assertEquals(503, response.statusCode(), response.asString());
        assertEquals("no_available_provider", error(response).path("code").asText());
        String message = error(response).path("message").asText();
        assertTrue(message.contains("secretless-provider") && message.contains("no credentials")
                && message.contains("RT_TEST_NOT_SET_ANYWHERE_KEY"), message);
        assertTrue(upstream.requests().stream().noneMatch(r -> r.header("authorization") != null
                && r.header("authorization").contains("RT_TEST")), "nothing went upstream");
    }

    @Test
    void aProviderWithoutCredentialsIsSkippedForTheNextAndSaysSo() {
        Response response = RouterApi.request().body("""
                {"model": "either-model", "messages": [{"role": "user", "content": "hi"}],
                 "routing": {"strategy": "priority", "providers": ["secretless-provider", "slow-provider"]}}""")
                .post("/v1/chat/completions");

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("slow-provider", response.header("x-visca-provider"));
        assertEquals("1", response.header("x-visca-attempts"), "the skipped provider took no attempt");
        assertEquals("secretless-provider: no credentials (RT_TEST_NOT_SET_ANYWHERE_KEY not set for the router)",
                response.header("x-visca-skipped"));
    }

    @Test
    void streamBrokenAfterItsFirstBytesEndsWithAnErrorEvent() {
        upstream.breakStreamAfter(3);

        Response response = RouterApi.request().header("x-request-id", "req-broken-stream")
                .body("{\"model\":\"flaky-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                        + "\"hi\"}]}")
                .post("/v1/chat/completions");

        assertEquals(200, response.statusCode(), "the head was already sent");
        String body = response.asString();
        assertTrue(body.contains("data: {\"error\":{"), body);
        assertFalse(body.contains("[DONE]"), body);
        FinishedRequest record = FinishedRequests.get("req-broken-stream");
        assertEquals(FinishedRequest.ERROR, record.status());
    }

    @Test
    void firstChunkReachesTheClientBeforeTheUpstreamFinishes() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RouterApi.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + RouterApi.key()).header("Content-Type", "application/json")
                .timeout(java.time.Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"held-model\",\"stream\":true,\"messages\":"
                        + "[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        StringBuilder seen = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.contains("\"first\"")) {
                    clientHasFirstChunk.complete(null); // only now does the upstream send the rest
                }
            }
        }
        assertTrue(seen.toString().contains("\" second\"") && seen.toString().contains("[DONE]"), seen.toString());
    }
}
