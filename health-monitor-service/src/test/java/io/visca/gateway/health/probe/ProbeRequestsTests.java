package io.visca.gateway.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.fakes.FakeAnthropicServer;
import io.visca.gateway.fakes.FakeCustomServer;
import io.visca.gateway.fakes.FakeOAuthServer;
import io.visca.gateway.fakes.FakeOllamaServer;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.fakes.FakeReplicateServer;
import io.visca.gateway.fakes.FakeServer;
import io.visca.gateway.fakes.FakeTgiServer;
import io.visca.gateway.fakes.RecordedRequest;
import io.visca.gateway.health.testing.HealthEvents;
import io.visca.gateway.health.testing.MonitorApi;
import io.visca.gateway.health.testing.MonitorLog;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.health.testing.RegistryAdmin;
import io.visca.gateway.health.testing.WebhookReceiver;

/**
 * What a probe sends to each provider type: a GET of a path that is free (never a chat, completion, embedding,
 * generation or prediction), with the provider's credentials resolved from the monitor's environment at probe time.
 * Secrets stay in the probe's headers: none reaches the API, the events, the webhook or the log.
 */
@QuarkusTest
class ProbeRequestsTests {

    /** Set in the surefire configuration, read by the monitor as ${NAME}; the literal ones are in the configs. */
    private static final List<String> SECRETS = List.of("sk-hm-openai-secret", "sk-ant-hm-secret", "hm-password-secret",
            "hm-client-secret", "r8_hm_literal_secret");
    private static final Set<String> PROVIDERS = Set.of("hm-openai", "hm-anthropic", "hm-tgi", "hm-ollama",
            "hm-replicate", "hm-custom", "hm-missing-var");

    private static FakeOpenAiServer openai;
    private static FakeAnthropicServer anthropic;
    private static FakeTgiServer tgi;
    private static FakeOAuthServer oauth;
    private static FakeOllamaServer ollama;
    private static FakeReplicateServer replicate;
    private static FakeCustomServer custom;
    private static FakeOpenAiServer unsent;

    @BeforeAll
    static void upstreams() {
        openai = FakeOpenAiServer.start().requireApiKey("sk-hm-openai-secret");
        anthropic = FakeAnthropicServer.start().requireApiKey("sk-ant-hm-secret");
        tgi = FakeTgiServer.start();
        oauth = FakeOAuthServer.start().requireClient("hm-client", "hm-client-secret");
        ollama = FakeOllamaServer.start();
        replicate = FakeReplicateServer.start().requireApiKey("r8_hm_literal_secret");
        custom = FakeCustomServer.start().requireBasic("hm-user", "hm-password-secret");
        unsent = FakeOpenAiServer.start();
    }

    @AfterAll
    static void cleanUp() {
        PROVIDERS.forEach(RegistryAdmin::deleteProvider);
        List.of(openai, anthropic, tgi, oauth, ollama, replicate, custom, unsent).forEach(FakeServer::close);
    }

    @Test
    void probesEachTypeOnAFreePathWithItsCredentialsAndNeverCallsAModel() {
        ProviderJson.of("hm-openai", "openai-compatible").endpoint("e1", openai.baseUrl())
                .bearer("${HM_TEST_OPENAI_KEY}").put();
        ProviderJson.of("hm-anthropic", "anthropic").endpoint("e1", anthropic.baseUrl())
                .auth("{\"auth_type\":\"header\",\"header_name\":\"x-api-key\",\"api_key\":\"${HM_TEST_ANTHROPIC_KEY}\"}")
                .put();
        ProviderJson.of("hm-tgi", "tgi").endpoint("e1", tgi.baseUrl())
                .auth("{\"auth_type\":\"oauth2_client_credentials\",\"token_url\":\"" + oauth.tokenUrl()
                        + "\",\"client_id\":\"${HM_TEST_CLIENT_ID}\",\"client_secret\":\"${HM_TEST_CLIENT_SECRET}\"}")
                .put();
        ProviderJson.of("hm-ollama", "ollama").endpoint("e1", ollama.baseUrl()).put();
        ProviderJson.of("hm-replicate", "replicate").endpoint("e1", replicate.baseUrl()).bearer("r8_hm_literal_secret")
                .put();
        ProviderJson.of("hm-custom", "custom").endpoint("e1", custom.baseUrl())
                .auth("{\"auth_type\":\"basic\",\"username\":\"${HM_TEST_USER}\",\"password\":\"${HM_TEST_PASSWORD}\"}")
                .extra("\"request\":{\"method\":\"POST\",\"path\":\"/generate\"},\"transform\":{\"language\":\"jq\","
                        + "\"request\":\"{prompt: .messages[-1].content}\",\"response\":\"{content: .text}\"}")
                .put();
        for (String provider : List.of("hm-openai", "hm-anthropic", "hm-tgi", "hm-ollama", "hm-replicate",
                "hm-custom")) {
            MonitorApi.awaitEndpoint(provider, "e1", e -> "UP".equals(e.status()) && e.consecutiveSuccesses() >= 3);
        }

        assertOnlyProbes(openai, "/v1/models");
        assertOnlyProbes(anthropic, "/v1/models");
        assertOnlyProbes(tgi, "/health");
        assertOnlyProbes(ollama, "/");
        assertOnlyProbes(replicate, "/v1/account");
        assertOnlyProbes(custom, "/");
        for (RecordedRequest probe : openai.requests()) {
            assertEquals("Bearer sk-hm-openai-secret", probe.header("authorization"));
        }
        for (RecordedRequest probe : anthropic.requests()) {
            assertEquals("sk-ant-hm-secret", probe.header("x-api-key"));
            assertEquals("2023-06-01", probe.header("anthropic-version"));
        }
        List<String> tokens = new ArrayList<>();
        for (RecordedRequest probe : tgi.requests()) {
            assertTrue(oauth.isValid(probe.header("authorization")), "a token the OAuth server issued");
            tokens.add(probe.header("authorization").substring("Bearer ".length()));
        }
        assertEquals(1, oauth.tokensIssued(), "the token is fetched once and reused");
        for (RecordedRequest probe : replicate.requests()) {
            assertEquals("Bearer r8_hm_literal_secret", probe.header("authorization"));
        }
        assertTrue(custom.requests().get(0).header("authorization").startsWith("Basic "));
        assertEquals("GET / answered HTTP 404", MonitorApi.endpoint("hm-custom", "e1").lastReason(),
                "custom: any answer below 500 means reachable");

        List<String> secrets = new ArrayList<>(SECRETS);
        secrets.addAll(tokens);
        assertNoSecretIn("GET /api/health", MonitorApi.request().get("/api/health").asString(), secrets);
        for (String provider : List.of("hm-openai", "hm-anthropic", "hm-tgi", "hm-replicate", "hm-custom")) {
            assertNoSecretIn("event of " + provider, HealthEvents.get().awaitStatus(provider + "/e1", "UP").value()
                    .toString(), secrets);
        }
        WebhookReceiver.get().deliveries().forEach(d -> assertNoSecretIn("webhook delivery", d.body(), secrets));
        assertNoSecretIn("the monitor's log", MonitorLog.all(), secrets);
    }

    @Test
    void anEndpointWhoseCredentialsAreNotProvidedIsNotProbedAndSaysWhy() throws Exception {
        ProviderJson.of("hm-missing-var", "openai-compatible").endpoint("e1", unsent.baseUrl())
                .bearer("${HM_TEST_NOT_SET_KEY}").put();
        String reason = "no credentials (HM_TEST_NOT_SET_KEY not set for the health monitor)";
        MonitorApi.Endpoint endpoint = MonitorApi.awaitEndpoint("hm-missing-var", "e1",
                e -> reason.equals(e.lastReason()));
        assertEquals("UNKNOWN", endpoint.status(), "neither UP nor DOWN: nothing was learned, and no alert");
        Thread.sleep(2500); // two probe intervals (ProviderJson probes every second)
        assertEquals("UNKNOWN", MonitorApi.endpoint("hm-missing-var", "e1").status());
        assertEquals(List.of(), HealthEvents.get().forKey("hm-missing-var/e1"), "no transition, no event");
        assertEquals(List.of(), unsent.requests(), "no probe goes out without its credentials");
    }

    private static void assertOnlyProbes(FakeServer<?> fake, String path) {
        List<RecordedRequest> requests = fake.requests();
        assertFalse(requests.isEmpty());
        for (RecordedRequest request : requests) {
            assertEquals("GET " + path, request.method() + " " + request.path(), "a probe, never a model call");
            assertEquals("", request.body());
        }
    }

    private static void assertNoSecretIn(String where, String text, List<String> secrets) {
        for (String secret : secrets) {
            assertFalse(text.contains(secret), where + " contains a secret");
        }
    }
}
