package io.visca.gateway.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import io.visca.gateway.auth.MissingSecretException;
import io.visca.gateway.auth.TokenRequestException;
import io.visca.gateway.auth.TokenRequestException.Problem;
import io.visca.gateway.auth.UnsupportedAuthTypeException;
import io.visca.gateway.router.proxy.GatewayError;

/** The router's errors for the shared auth failures: OpenAI-shaped, naming the provider, retryable on another. */
class UpstreamCredentialsTests {

    private static final String TOKEN_URL = "https://login.example.com/oauth2/token";

    private static GatewayError error(Throwable shared) {
        return assertInstanceOf(GatewayError.class, UpstreamCredentials.error("corp", shared));
    }

    @Test
    void aMissingVariableIsProviderMisconfigured() {
        GatewayError error = error(new MissingSecretException("auth.api_key", "LLAMA_API_KEY"));
        assertEquals(502, error.status());
        assertEquals(GatewayError.UPSTREAM, error.type());
        assertEquals("provider_misconfigured", error.code());
        assertTrue(error.retryable());
        assertEquals("Provider 'corp' is misconfigured: auth.api_key references ${LLAMA_API_KEY}, but environment "
                + "variable LLAMA_API_KEY is not set for the router.", error.getMessage());
    }

    @Test
    void aCustomHeaderReferenceResolvesTheSameWay() {
        assertEquals("acme", ProviderSecrets.resolve("corp", "request.headers.X-Tenant", "acme"));
        GatewayError error = assertThrows(GatewayError.class, () -> ProviderSecrets.resolve("corp",
                "request.headers.X-Api-Key", "${VISCA_ROUTER_TEST_NOBODY_SETS_THIS}"));
        assertEquals("provider_misconfigured", error.code());
        assertEquals("Provider 'corp' is misconfigured: request.headers.X-Api-Key references "
                + "${VISCA_ROUTER_TEST_NOBODY_SETS_THIS}, but environment variable VISCA_ROUTER_TEST_NOBODY_SETS_THIS "
                + "is not set for the router.", error.getMessage());
    }

    @Test
    void anUnknownTypeIsProviderMisconfigured() {
        GatewayError error = error(new UnsupportedAuthTypeException("digest"));
        assertEquals("provider_misconfigured", error.code());
        assertEquals("Provider 'corp' has an unknown auth_type 'digest'.", error.getMessage());
    }

    @Test
    void aTokenEndpointRefusalIsUpstreamAuthFailedWithItsStatus() {
        GatewayError error = error(TokenRequestException.answered(TOKEN_URL, Problem.ERROR_STATUS, 401,
                "invalid_client"));
        assertEquals(502, error.status());
        assertEquals("upstream_auth_failed", error.code());
        assertTrue(error.retryable(), "another provider may do");
        assertEquals("Provider 'corp': no OAuth2 access token: the token endpoint answered HTTP 401 (invalid_client)",
                error.getMessage());
        assertEquals("Provider 'corp': no OAuth2 access token: the token endpoint answered HTTP 200",
                error(TokenRequestException.answered(TOKEN_URL, Problem.NO_ACCESS_TOKEN, 200, null)).getMessage());
    }

    @Test
    void anUnreachableTokenEndpointNamesOnlyTheKindOfFailure() {
        GatewayError error = error(TokenRequestException.unreachable(TOKEN_URL,
                new ConnectException("Connection refused: login.example.com/10.0.0.9:443")));
        assertEquals("upstream_auth_failed", error.code());
        assertEquals("Provider 'corp': no OAuth2 access token: the token endpoint is unreachable (ConnectException)",
                error.getMessage());
    }

    @Test
    void otherFailuresPassThrough() {
        IllegalStateException other = new IllegalStateException("closed");
        assertSame(other, UpstreamCredentials.error("corp", other));
    }
}
