package io.visca.gateway.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.health.testing.HealthEvents;
import io.visca.gateway.health.testing.MonitorApi;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.health.testing.RegistryAdmin;

/**
 * The outbound URL policy on probes, at connect time: the test registry lets providers on the metadata address be
 * saved, and the monitor's default policy never probes them (nor fetches a token there); the probe's reason names the
 * rule. Redirects are not followed. No request ever leaves for 169.254.169.254: the refusal comes before any
 * connection.
 */
@QuarkusTest
class OutboundPolicyProbeTests {

    private static final String METADATA_URL = "http://169.254.169.254/latest";
    private static FakeOpenAiServer unsent;
    private static Vertx vertx;
    private static HttpServer elsewhere;
    private static HttpServer redirecting;
    private static final List<String> elsewhereSaw = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        unsent = FakeOpenAiServer.start();
        vertx = Vertx.vertx();
        elsewhere = vertx.createHttpServer().requestHandler(request -> {
            elsewhereSaw.add(request.method() + " " + request.uri());
            request.response().end("{\"data\":[]}");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        redirecting = vertx.createHttpServer().requestHandler(request -> request.response().setStatusCode(302)
                .putHeader("location", "http://127.0.0.1:" + elsewhere.actualPort() + request.uri()).end())
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        for (String name : List.of("hm-policy-metadata", "hm-policy-token", "hm-policy-redirect",
                "hm-policy-token-redirect")) {
            RegistryAdmin.deleteProvider(name);
        }
        unsent.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anEndpointOnTheMetadataAddressIsNeverProbed() {
        ProviderJson.of("hm-policy-metadata", "openai-compatible").endpoint("e1", METADATA_URL)
                .auth("{\"auth_type\":\"none\"}").put();
        String reason = "GET /latest/models: not sent: 169.254.169.254 is a cloud metadata address: refused by the "
                + "outbound URL policy (GATEWAY_OUTBOUND_METADATA=deny)";
        assertEquals(reason, MonitorApi.awaitStatus("hm-policy-metadata", "e1", "DOWN").lastReason());
        assertEquals(reason, HealthEvents.get().awaitStatus("hm-policy-metadata/e1", "DOWN").value().path("reason")
                .asText());
    }

    @Test
    void aTokenUrlOnTheMetadataAddressIsNeverCalledNorIsTheEndpoint() {
        ProviderJson.of("hm-policy-token", "openai-compatible").endpoint("e1", unsent.baseUrl())
                .auth("{\"auth_type\":\"oauth2_client_credentials\",\"token_url\":\"" + METADATA_URL + "/token\","
                        + "\"client_id\":\"id\",\"client_secret\":\"secret\"}")
                .put();
        String reason = MonitorApi.awaitStatus("hm-policy-token", "e1", "DOWN").lastReason();
        assertTrue(reason.contains("OAuth2 token request to " + METADATA_URL + "/token was not sent: 169.254.169.254 "
                + "is a cloud metadata address"), reason);
        assertTrue(reason.contains("GATEWAY_OUTBOUND_METADATA=deny"), reason);
        assertEquals(List.of(), unsent.requests(), "without a token no probe goes out");
    }

    @Test
    void aRedirectIsNotFollowed() {
        ProviderJson.of("hm-policy-redirect", "openai-compatible")
                .endpoint("e1", "http://127.0.0.1:" + redirecting.actualPort() + "/v1").auth("{\"auth_type\":\"none\"}")
                .put();
        assertEquals("GET /v1/models answered HTTP 302",
                MonitorApi.awaitStatus("hm-policy-redirect", "e1", "DOWN").lastReason());
        assertTrue(elsewhereSaw.isEmpty(), "the redirect target saw nothing: " + elsewhereSaw);
    }

    @Test
    void aTokenRequestThatIsRedirectedIsNotFollowed() {
        String tokenUrl = "http://127.0.0.1:" + redirecting.actualPort() + "/oauth2/token";
        ProviderJson.of("hm-policy-token-redirect", "openai-compatible").endpoint("e1", unsent.baseUrl())
                .auth("{\"auth_type\":\"oauth2_client_credentials\",\"token_url\":\"" + tokenUrl + "\","
                        + "\"client_id\":\"id\",\"client_secret\":\"secret\"}")
                .put();
        assertEquals("OAuth2 token request to " + tokenUrl + " answered HTTP 302",
                MonitorApi.awaitStatus("hm-policy-token-redirect", "e1", "DOWN").lastReason());
        assertTrue(elsewhereSaw.isEmpty(), "the redirect target saw nothing: " + elsewhereSaw);
        assertEquals(List.of(), unsent.requests());
    }
}
