package io.visca.gateway.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;

/**
 * The outbound URL policy on the router's upstream calls, at connect time: providers the registry stored (this test
 * registry lets link-local and metadata addresses be saved) whose addresses the router's default policy refuses are
 * never called, and the next candidate serves; so is a name that resolves there (this test JVM's hosts file,
 * {@code -Djdk.net.hosts.file}, maps {@code metadata.outbound.test} to 169.254.169.254); a token URL there is never
 * called; redirects are not followed. No request ever leaves for 169.254.169.254: the refusal comes before any
 * connection.
 */
@QuarkusTest
class OutboundPolicyTests {

    private static final String METADATA_URL = "http://169.254.169.254/latest";
    private static FakeOpenAiServer backup;
    private static FakeOpenAiServer tokenless;
    private static Vertx vertx;
    private static HttpServer redirecting;
    private static HttpServer elsewhere;
    private static final List<String> elsewhereSaw = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void providers() throws Exception {
        backup = FakeOpenAiServer.start().models("policy-model").reply("backup answer");
        tokenless = FakeOpenAiServer.start().models("token-policy-model").reply("never");
        vertx = Vertx.vertx();
        elsewhere = vertx.createHttpServer().requestHandler(request -> {
            elsewhereSaw.add(request.method() + " " + request.uri());
            request.response().end("{}");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        redirecting = vertx.createHttpServer().requestHandler(request -> request.response().setStatusCode(302)
                .putHeader("location", "http://127.0.0.1:" + elsewhere.actualPort() + request.uri()).end())
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        // health checks off: nothing but the router's own calls is under test
        RegistryAdmin.putProvider("""
                {"name": "metadata-ai", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "health_check": {"enabled": false}, "retry": {"max_retries": 2, "backoff_ms": 10},
                 "models": [{"id": "policy-model"}, {"id": "metadata-only-model"}]}""".formatted(METADATA_URL));
        // this test JVM's hosts file maps the name to 169.254.169.254; the registry's process cannot resolve it
        RegistryAdmin.putProvider("""
                {"name": "metadata-name-ai", "type": "openai-compatible", "base_url": "http://metadata.outbound.test/v1",
                 "auth": {"auth_type": "none"}, "health_check": {"enabled": false},
                 "models": [{"id": "metadata-name-model"}]}""");
        RegistryAdmin.putProvider("""
                {"name": "backup-ai", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "health_check": {"enabled": false}, "models": [{"id": "policy-model"}]}""".formatted(backup.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "token-metadata-ai", "type": "openai-compatible", "base_url": "%s",
                 "auth": {"auth_type": "oauth2_client_credentials", "token_url": "%s/oauth2/token",
                          "client_id": "id", "client_secret": "secret"},
                 "health_check": {"enabled": false}, "models": [{"id": "token-policy-model"}]}"""
                .formatted(tokenless.baseUrl(), METADATA_URL));
        RegistryAdmin.putProvider("""
                {"name": "token-redirect-ai", "type": "openai-compatible", "base_url": "%s",
                 "auth": {"auth_type": "oauth2_client_credentials", "token_url": "http://127.0.0.1:%d/oauth2/token",
                          "client_id": "id", "client_secret": "secret"},
                 "health_check": {"enabled": false}, "models": [{"id": "token-redirect-model"}]}"""
                .formatted(tokenless.baseUrl(), redirecting.actualPort()));
        RegistryAdmin.putProvider("""
                {"name": "redirect-ai", "type": "openai-compatible", "base_url": "http://127.0.0.1:%d/v1",
                 "auth": {"auth_type": "none"}, "health_check": {"enabled": false},
                 "models": [{"id": "redirect-model"}]}""".formatted(redirecting.actualPort()));
        RouterApi.awaitModel("policy-model");
        RouterApi.awaitModel("metadata-only-model");
        RouterApi.awaitModel("metadata-name-model");
        RouterApi.awaitModel("token-policy-model");
        RouterApi.awaitModel("redirect-model");
        RouterApi.awaitModel("token-redirect-model");
    }

    @AfterAll
    static void stop() throws Exception {
        for (String name : List.of("metadata-ai", "metadata-name-ai", "backup-ai", "token-metadata-ai",
                "redirect-ai", "token-redirect-ai")) {
            RegistryAdmin.deleteProvider(name);
        }
        backup.close();
        tokenless.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Response chat(String model, String routing) {
        return RouterApi.request().body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"hi\"}]" + (routing == null ? "" : ",\"routing\":" + routing) + "}").post("/v1/chat/completions");
    }

    private static JsonNode error(Response response) {
        return Chats.json(response.asString()).path("error");
    }

    @Test
    void aProviderOnTheMetadataAddressIsNotCalledAndTheNextCandidateServes() {
        Response served = chat("policy-model",
                "{\"strategy\":\"priority\",\"providers\":[\"metadata-ai\",\"backup-ai\"],\"fallback\":true}");
        assertEquals(200, served.statusCode(), served.asString());
        assertEquals("backup-ai", served.header("x-visca-provider"));
        assertEquals("2", served.header("x-visca-attempts"), "one refused attempt, no retry of it, then backup-ai");
        assertEquals("backup answer", Chats.json(served.asString()).at("/choices/0/message/content").asText());
    }

    @Test
    void aProviderOnlyOnTheMetadataAddressIsA502NamingTheRule() {
        Response refused = chat("metadata-only-model", null);
        assertEquals(502, refused.statusCode(), refused.asString());
        JsonNode error = error(refused);
        assertEquals("endpoint_refused_by_policy", error.path("code").asText(), error.toString());
        assertEquals("upstream_error", error.path("type").asText());
        String message = error.path("message").asText();
        assertTrue(message.contains("metadata-ai") && message.contains("a cloud metadata address")
                && message.contains("GATEWAY_OUTBOUND_METADATA=deny"), message);
    }

    @Test
    void aNameThatResolvesToTheMetadataAddressIsRefusedAfterTheLookup() {
        Response refused = chat("metadata-name-model", null);
        assertEquals(502, refused.statusCode(), refused.asString());
        JsonNode error = error(refused);
        assertEquals("endpoint_refused_by_policy", error.path("code").asText(), error.toString());
        assertTrue(error.path("message").asText().contains("a cloud metadata address"), error.toString());
        assertFalse(error.path("message").asText().contains("169.254.169.254"),
                "the client learns the rule, not where the name points: " + error);
    }

    @Test
    void aTokenUrlOnTheMetadataAddressIsNeverCalled() {
        Response refused = chat("token-policy-model", null);
        assertEquals(502, refused.statusCode(), refused.asString());
        JsonNode error = error(refused);
        assertEquals("endpoint_refused_by_policy", error.path("code").asText(), error.toString());
        assertTrue(error.path("message").asText().contains("token_url"), error.toString());
        assertTrue(tokenless.requests().isEmpty(), "without a token nothing goes to the endpoint either");
    }

    @Test
    void aTokenRequestThatIsRedirectedIsNotFollowed() {
        Response failed = chat("token-redirect-model", null);
        assertEquals(502, failed.statusCode(), failed.asString());
        JsonNode error = error(failed);
        assertEquals("upstream_auth_failed", error.path("code").asText(), error.toString());
        assertTrue(error.path("message").asText().contains("the token endpoint answered HTTP 302"), error.toString());
        assertTrue(elsewhereSaw.isEmpty(), "the redirect target saw no request: " + elsewhereSaw);
        assertTrue(tokenless.requests().isEmpty(), "without a token nothing goes to the endpoint either");
    }

    @Test
    void aRedirectIsNotFollowed() {
        Response answered = chat("redirect-model", null);
        assertEquals(502, answered.statusCode(), answered.asString());
        assertEquals("upstream_http_302", error(answered).path("code").asText(), answered.asString());
        assertTrue(elsewhereSaw.isEmpty(), "the redirect target saw no request: " + elsewhereSaw);
        assertFalse(answered.asString().contains(String.valueOf(elsewhere.actualPort())),
                "nothing of the redirect's target is repeated");
    }
}
