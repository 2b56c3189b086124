package io.visca.gateway.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeOAuthServer;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;

/** Upstream auth types: a header of any name, and OAuth2 client credentials with a cached, refreshed token. */
@QuarkusTest
class UpstreamAuthTests {

    private static FakeOAuthServer identity;
    private static FakeOpenAiServer oauthUpstream;
    private static FakeOpenAiServer headerUpstream;

    @BeforeAll
    static void providers() {
        identity = FakeOAuthServer.start().requireClient("router-client", "router-secret").expiresIn(3600);
        oauthUpstream = FakeOpenAiServer.start().models("corp-70b")
                .requireHeader("authorization", value -> value != null && identity.isValid(value));
        headerUpstream = FakeOpenAiServer.start().models("header-model").requireHeader("api-key", "azure-style-key");
        RegistryAdmin.putProvider("""
                {"name": "t-oauth", "type": "openai-compatible", "base_url": "%s",
                 "auth": {"auth_type": "oauth2_client_credentials", "token_url": "%s",
                          "client_id": "router-client", "client_secret": "router-secret", "scope": "llm.invoke"},
                 "models": [{"id": "corp-70b"}]}""".formatted(oauthUpstream.baseUrl(), identity.tokenUrl()));
        RegistryAdmin.putProvider("""
                {"name": "t-header", "type": "openai-compatible", "base_url": "%s",
                 "auth": {"auth_type": "header", "header_name": "api-key", "api_key": "azure-style-key"},
                 "models": [{"id": "header-model"}]}""".formatted(headerUpstream.baseUrl()));
        RouterApi.awaitModel("corp-70b");
        RouterApi.awaitModel("header-model");
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider("t-oauth");
        RegistryAdmin.deleteProvider("t-header");
        identity.close();
        oauthUpstream.close();
        headerUpstream.close();
    }

    private static Response chat(String model) {
        return RouterApi.request().body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"hi\"}]}").post("/v1/chat/completions");
    }

    @Test
    void headerAuthUsesTheNamedHeader() {
        assertEquals(200, chat("header-model").statusCode());
        assertEquals("azure-style-key", headerUpstream.requests().get(0).header("api-key"));
        assertTrue(headerUpstream.requests().get(0).header("authorization") == null);
    }

    @Test
    void oauthTokenIsFetchedOnceAndReused() {
        long before = identity.tokensIssued();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, chat("corp-70b").statusCode());
        }
        assertTrue(identity.tokensIssued() - before <= 1, "one token for five calls");
        assertTrue(identity.requests().stream().anyMatch(r -> r.body().contains("grant_type=client_credentials")
                && r.body().contains("scope=llm.invoke")), "client credentials grant with the configured scope");
    }

    @Test
    void oauthTokenIsRefreshedBeforeItExpires() throws Exception {
        identity.expiresIn(2);
        RegistryAdmin.putProvider("""
                {"name": "t-oauth-short", "type": "openai-compatible", "base_url": "%s",
                 "auth": {"auth_type": "oauth2_client_credentials", "token_url": "%s",
                          "client_id": "router-client", "client_secret": "router-secret", "scope": "short"},
                 "models": [{"id": "corp-short"}]}""".formatted(oauthUpstream.baseUrl(), identity.tokenUrl()));
        oauthUpstream.models("corp-70b", "corp-short");
        try {
            RouterApi.awaitModel("corp-short");
            long before = identity.tokensIssued();
            assertEquals(200, chat("corp-short").statusCode());
            Thread.sleep(2100); // past the first token's life: a new one must have been fetched
            assertEquals(200, chat("corp-short").statusCode());
            assertEquals(200, chat("corp-short").statusCode());
            assertTrue(identity.tokensIssued() - before >= 2, "refreshed");
        } finally {
            identity.expiresIn(3600);
            RegistryAdmin.deleteProvider("t-oauth-short");
        }
    }

    @Test
    void tokenEndpointRefusalIsAClearError() {
        RegistryAdmin.putProvider("""
                {"name": "t-oauth-bad", "type": "openai-compatible", "base_url": "%s",
                 "auth": {"auth_type": "oauth2_client_credentials", "token_url": "%s",
                          "client_id": "router-client", "client_secret": "wrong-secret"},
                 "models": [{"id": "corp-bad"}]}""".formatted(oauthUpstream.baseUrl(), identity.tokenUrl()));
        try {
            RouterApi.awaitModel("corp-bad");
            Response response = chat("corp-bad");
            assertEquals(502, response.statusCode());
            String message = Chats.json(response.asString()).path("error").path("message").asText();
            assertTrue(message.contains("t-oauth-bad") && message.contains("401"), message);
            assertFalse(message.contains("wrong-secret"), "no secret in errors");
        } finally {
            RegistryAdmin.deleteProvider("t-oauth-bad");
        }
    }
}
