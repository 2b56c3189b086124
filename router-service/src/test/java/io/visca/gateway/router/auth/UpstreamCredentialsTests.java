package io.visca.gateway.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.visca.gateway.auth.ForbiddenSecretException;
import io.visca.gateway.auth.MissingSecretException;
import io.visca.gateway.auth.SecretPolicy;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.auth.TokenRequestException;
import io.visca.gateway.auth.TokenRequestException.Problem;
import io.visca.gateway.auth.UnsupportedAuthTypeException;
import io.visca.gateway.router.error.GatewayError;

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
        ProviderSecrets secrets = new ProviderSecrets(new SecretResolver(Map.of("TENANT_KEY", "acme-key")::get));
        assertEquals("acme", secrets.resolve("corp", "request.headers.X-Tenant", "acme"));
        assertEquals("acme-key", secrets.resolve("corp", "request.headers.X-Tenant", "${TENANT_KEY}"));
        GatewayError error = assertThrows(GatewayError.class, () -> secrets.resolve("corp",
                "request.headers.X-Api-Key", "${VISCA_ROUTER_TEST_NOBODY_SETS_THIS_KEY}"));
        assertEquals("provider_misconfigured", error.code());
        assertEquals("Provider 'corp' is misconfigured: request.headers.X-Api-Key references "
                + "${VISCA_ROUTER_TEST_NOBODY_SETS_THIS_KEY}, but environment variable "
                + "VISCA_ROUTER_TEST_NOBODY_SETS_THIS_KEY is not set for the router.", error.getMessage());
    }

    @Test
    void aRefusedReferenceIsProviderMisconfiguredNamingTheRule() {
        ProviderSecrets secrets = new ProviderSecrets(new SecretResolver(SecretPolicy.defaults(), null,
                Map.of("GATEWAY_SERVICE_TOKEN", "svc-token-secret", "ALIAS_KEY", "svc-token-secret")::get,
                java.util.List.of("svc-token-secret")));
        GatewayError byName = assertThrows(GatewayError.class, () -> secrets.resolve("corp",
                "request.headers.X-Api-Key", "${GATEWAY_SERVICE_TOKEN}"));
        assertEquals(502, byName.status());
        assertEquals("provider_misconfigured", byName.code());
        assertTrue(byName.retryable(), "another provider may do");
        assertEquals("Provider 'corp' is misconfigured: request.headers.X-Api-Key references "
                + "${GATEWAY_SERVICE_TOKEN}, which is refused: names starting with GATEWAY_ are the gateway's own "
                + "settings and credentials, which provider configs can never read.", byName.getMessage());
        GatewayError byValue = assertThrows(GatewayError.class, () -> secrets.resolve("corp",
                "request.headers.X-Api-Key", "${ALIAS_KEY}"));
        assertEquals("Provider 'corp' is misconfigured: request.headers.X-Api-Key references ${ALIAS_KEY}, which is "
                + "refused: its value holds one of this service's own credentials.", byValue.getMessage());
        assertEquals("provider_misconfigured", error(new ForbiddenSecretException("auth.api_key", "DB_PASSWORD",
                ForbiddenSecretException.Rule.RESERVED_NAME, "reserved")).code());
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
