package io.visca.gateway.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

/** An OAuth2 token the upstream stops accepting (revoked before it expires) is dropped, and the next call gets another. */
@QuarkusTest
class RejectedTokenTests {

    private static final Set<String> REVOKED = ConcurrentHashMap.newKeySet();

    private static FakeOAuthServer identity;
    private static FakeOpenAiServer upstream;

    @BeforeAll
    static void provider() {
        identity = FakeOAuthServer.start().requireClient("revoking-client", "revoking-secret").expiresIn(3600);
        upstream = FakeOpenAiServer.start().models("corp-revoked").requireHeader("authorization",
                value -> value != null && identity.isValid(value) && !REVOKED.contains(value));
        RegistryAdmin.putProvider("""
                {"name": "t-oauth-revoked", "type": "openai-compatible", "base_url": "%s",
                 "auth": {"auth_type": "oauth2_client_credentials", "token_url": "%s",
                          "client_id": "revoking-client", "client_secret": "revoking-secret"},
                 "models": [{"id": "corp-revoked"}]}""".formatted(upstream.baseUrl(), identity.tokenUrl()));
        RouterApi.awaitModel("corp-revoked");
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider("t-oauth-revoked");
        identity.close();
        upstream.close();
    }

    private static Response chat() {
        return RouterApi.request().body("{\"model\":\"corp-revoked\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"hi\"}]}").post("/v1/chat/completions");
    }

    @Test
    void aRevokedTokenIsReplacedAfterTheUpstreamRejectsIt() {
        assertEquals(200, chat().statusCode());
        String first = upstream.requests().get(upstream.requests().size() - 1).header("authorization");
        long issued = identity.tokensIssued();
        REVOKED.add(first);

        Response rejected = chat();
        assertEquals(502, rejected.statusCode());
        assertEquals("upstream_auth_failed", Chats.json(rejected.asString()).path("error").path("code").asText());

        assertEquals(200, chat().statusCode());
        assertEquals(issued + 1, identity.tokensIssued(), "one new token, fetched after the rejection");
        assertNotEquals(first, upstream.requests().get(upstream.requests().size() - 1).header("authorization"));
    }
}
