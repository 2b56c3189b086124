package io.visca.gateway.health.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.auth.TokenEndpoint;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.health.upstream.ProbeFailure;

/** The monitor's wording of the shared auth failures (they are probe reasons), and the maps a probe may add to. */
class ProbeCredentialsTests {

    private static final String TOKEN_URL = "https://login.example.com/oauth2/token";

    private final List<TokenEndpoint.Reply> replies = new ArrayList<>();
    private int requests;
    private final ProbeCredentials credentials = new ProbeCredentials(
            new SecretResolver(Map.of("HM_KEY", "sk-hm")::get), (url, headers, form, timeout) -> {
                requests++;
                return replies.isEmpty() ? Future.failedFuture(new ConnectException("Connection refused"))
                        : Future.succeededFuture(replies.remove(0));
            }, Duration.ofSeconds(1));

    private static AuthConfig oauth() {
        return new AuthConfig(AuthConfig.OAUTH2_CLIENT_CREDENTIALS, null, null, null, null, TOKEN_URL, "hm-client",
                "hm-client-secret", null);
    }

    private static TokenEndpoint.Reply reply(int status, String body) {
        return new TokenEndpoint.Reply(status, Buffer.buffer(body));
    }

    private static String reason(Future<MultiMap> headers) {
        return assertInstanceOf(ProbeFailure.class, headers.cause()).getMessage();
    }

    @Test
    void aMissingVariableIsNamedForTheHealthMonitor() {
        assertEquals("auth.api_key references ${HM_TEST_NOT_SET_KEY}, but environment variable HM_TEST_NOT_SET_KEY is "
                + "not set for the health monitor",
                reason(credentials.headers(
                        new AuthConfig(AuthConfig.BEARER, "${HM_TEST_NOT_SET_KEY}", null, null, null, null, null, null,
                                null))));
    }

    @Test
    void aTokenRefusalNamesTheTokenUrlTheStatusAndTheError() {
        replies.add(reply(401, "{\"error\":\"invalid_client\",\"error_description\":\"hm-client-secret is wrong\"}"));
        assertEquals("OAuth2 token request to " + TOKEN_URL + " answered HTTP 401 (invalid_client)",
                reason(credentials.headers(oauth())));
        assertEquals("OAuth2 token request to " + TOKEN_URL + " failed: ConnectException (Connection refused)",
                reason(credentials.headers(oauth())));
    }

    @Test
    void anUnknownTypeIsNamed() {
        assertEquals("unknown auth_type 'digest'", reason(credentials.headers(
                new AuthConfig("digest", null, null, null, null, null, null, null, null))));
    }

    @Test
    void everyProbeGetsAMapOfItsOwn() {
        MultiMap none = credentials.headers(AuthConfig.none()).result();
        none.set("user-agent", "visca-health-monitor");
        assertNotSame(none, credentials.headers(null).result());
        assertTrue(credentials.headers(null).result().isEmpty());
        assertEquals("Bearer sk-hm", credentials.headers(new AuthConfig(AuthConfig.BEARER, "${HM_KEY}", null, null,
                null, null, null, null, null)).result().get("authorization"));
    }

    @Test
    void aRejectedTokenIsFetchedAgain() {
        replies.add(reply(200, "{\"access_token\":\"t1\",\"expires_in\":3600}"));
        replies.add(reply(200, "{\"access_token\":\"t2\",\"expires_in\":3600}"));
        assertEquals("Bearer t1", credentials.headers(oauth()).result().get("authorization"));
        assertEquals("Bearer t1", credentials.headers(oauth()).result().get("authorization"));
        credentials.rejected(oauth());
        assertEquals("Bearer t2", credentials.headers(oauth()).result().get("authorization"));
        assertEquals(2, requests);
    }
}
