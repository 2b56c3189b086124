package io.visca.gateway.registry.provider.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.visca.gateway.auth.MissingSecretException;
import io.visca.gateway.auth.SecretPolicy;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.auth.TokenRequestException;
import io.visca.gateway.auth.TokenRequestException.Problem;
import io.visca.gateway.auth.UnsupportedAuthTypeException;

/** Test Connection's reasons and details for the shared auth failures. */
class UpstreamAuthTests {

    private static final String TOKEN_URL = "http://127.0.0.1:9/token";
    private static final String CALL = "token request to " + TOKEN_URL;

    private static ProbeFailure failure(Throwable shared) {
        return assertInstanceOf(ProbeFailure.class, UpstreamAuth.failure(shared));
    }

    @Test
    void aMissingVariableIsAMissingSecretNamedForThisService() {
        ProbeFailure missing = failure(new MissingSecretException("auth.api_key", "VISCA_VARIABLE_NOBODY_SET"));
        assertEquals(ProbeFailure.MISSING_SECRET, missing.reason());
        assertNull(missing.httpStatus());
        assertEquals("auth.api_key references ${VISCA_VARIABLE_NOBODY_SET}, but environment variable "
                + "VISCA_VARIABLE_NOBODY_SET is not set for provider-registry-service", missing.detail());
    }

    @Test
    void requestHeadersResolveToTheSameMissingSecret() {
        UpstreamAuth auth = new UpstreamAuth(new SecretResolver(Map.of("TENANT_KEY", "acme")::get), null);
        assertEquals("acme", auth.resolve("request.headers.X-Tenant", "${TENANT_KEY}"));
        assertEquals("literal", auth.resolve("request.headers.X-Tenant", "literal"));
        ProbeFailure missing = assertThrows(ProbeFailure.class,
                () -> auth.resolve("request.headers.Authorization", "${NOT_SET_KEY}"));
        assertEquals(ProbeFailure.MISSING_SECRET, missing.reason());
        assertEquals("request.headers.Authorization references ${NOT_SET_KEY}, but environment variable NOT_SET_KEY "
                + "is not set for provider-registry-service", missing.detail());
    }

    @Test
    void aRefusedReferenceIsAForbiddenSecretAndNamesTheRule() {
        UpstreamAuth auth = new UpstreamAuth(new SecretResolver(SecretPolicy.defaults(), null,
                Map.of("GATEWAY_ADMIN_TOKEN", "admin-token-1", "ALIAS_KEY", "admin-token-1")::get,
                List.of("admin-token-1")), null);
        ProbeFailure byName = assertThrows(ProbeFailure.class,
                () -> auth.resolve("request.headers.X-Api-Key", "${GATEWAY_ADMIN_TOKEN}"));
        assertEquals(ProbeFailure.FORBIDDEN_SECRET, byName.reason());
        assertNull(byName.httpStatus());
        assertEquals("request.headers.X-Api-Key references ${GATEWAY_ADMIN_TOKEN}, which is refused: names starting "
                + "with GATEWAY_ are the gateway's own settings and credentials, which provider configs can never read "
                + "(by provider-registry-service); nothing was sent", byName.detail());
        ProbeFailure byValue = assertThrows(ProbeFailure.class,
                () -> auth.resolve("request.headers.X-Api-Key", "${ALIAS_KEY}"));
        assertEquals(ProbeFailure.FORBIDDEN_SECRET, byValue.reason());
        assertFalse(byValue.detail().contains("admin-token-1"), byValue.detail());
    }

    @Test
    void refusedClientCredentialsAreAuth() {
        for (int status : new int[] { 400, 401, 403 }) {
            ProbeFailure refused = failure(TokenRequestException.answered(TOKEN_URL, Problem.ERROR_STATUS, status,
                    "invalid_client"));
            assertEquals(ProbeFailure.AUTH, refused.reason());
            assertEquals(status, refused.httpStatus());
            assertEquals(CALL + " answered HTTP " + status + ": the token endpoint refused the client credentials",
                    refused.detail());
        }
    }

    @Test
    void otherTokenEndpointStatusesAreHttpErrors() {
        ProbeFailure error = failure(TokenRequestException.answered(TOKEN_URL, Problem.ERROR_STATUS, 503, null));
        assertEquals(ProbeFailure.HTTP_ERROR, error.reason());
        assertEquals(503, error.httpStatus());
        assertEquals(CALL + " answered HTTP 503", error.detail());
    }

    @Test
    void anAnswerWithoutATokenIsAnUnexpectedBody() {
        ProbeFailure notJson = failure(TokenRequestException.answered(TOKEN_URL, Problem.NOT_JSON, 200, null));
        assertEquals(ProbeFailure.UNEXPECTED_BODY, notJson.reason());
        assertEquals(CALL + " answered HTTP 200 but not as expected: not JSON", notJson.detail());
        ProbeFailure noToken = failure(TokenRequestException.answered(TOKEN_URL, Problem.NO_ACCESS_TOKEN, 200, null));
        assertEquals(CALL + " answered HTTP 200 but not as expected: no access_token", noToken.detail());
    }

    @Test
    void anUnreachableTokenEndpointIsClassifiedLikeAnyCall() {
        ProbeFailure refused = failure(TokenRequestException.unreachable(TOKEN_URL,
                new ConnectException("Connection refused: /127.0.0.1:9")));
        assertEquals(ProbeFailure.REFUSED, refused.reason());
        assertEquals(CALL + ": connection refused (Connection refused: /127.0.0.1:9)", refused.detail());
    }

    @Test
    void anUnknownTypeIsAuth() {
        ProbeFailure unknown = failure(new UnsupportedAuthTypeException("digest"));
        assertEquals(ProbeFailure.AUTH, unknown.reason());
        assertEquals("unsupported auth_type digest", unknown.detail());
    }

    @Test
    void otherFailuresPassThrough() {
        IllegalStateException other = new IllegalStateException("closed");
        assertSame(other, UpstreamAuth.failure(other));
    }
}
