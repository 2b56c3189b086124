package io.visca.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.visca.gateway.contracts.provider.AuthConfig;

/** The headers of each {@code auth_type}, with secrets from a fake environment. */
class UpstreamAuthHeadersTests {

    private static final Map<String, String> ENVIRONMENT = Map.of("LLAMA_API_KEY", "sk-llama-secret", "LEGACY_USER",
            "legacy", "LEGACY_PASSWORD", "pa:ss-secret", "CORP_CLIENT_ID", "corp", "CORP_CLIENT_SECRET",
            "corp-secret");

    private final FakeTokenEndpoint endpoint = new FakeTokenEndpoint();
    private final SecretResolver secrets = new SecretResolver(ENVIRONMENT::get);
    private final UpstreamAuthHeaders auth = new UpstreamAuthHeaders(secrets,
            new OAuth2TokenCache(endpoint, secrets, Duration.ofSeconds(5)));

    private static AuthConfig bearer(String apiKey) {
        return new AuthConfig(AuthConfig.BEARER, apiKey, null, null, null, null, null, null, null);
    }

    private static AuthConfig header(String name, String apiKey) {
        return new AuthConfig(AuthConfig.HEADER, apiKey, name, null, null, null, null, null, null);
    }

    private static AuthConfig basic(String username, String password) {
        return new AuthConfig(AuthConfig.BASIC, null, null, username, password, null, null, null, null);
    }

    private static final AuthConfig OAUTH = new AuthConfig(AuthConfig.OAUTH2_CLIENT_CREDENTIALS, null, null, null,
            null, "https://login.example.com/token", "${CORP_CLIENT_ID}", "${CORP_CLIENT_SECRET}", null);

    private static Map<String, String> asMap(Future<MultiMap> headers) {
        assertTrue(headers.succeeded(), () -> "failed: " + headers.cause());
        return Map.copyOf(headers.result().entries().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Test
    void bearerSendsTheKeyAsABearerToken() {
        assertEquals(Map.of("authorization", "Bearer sk-llama-secret"), asMap(auth.headers(bearer("${LLAMA_API_KEY}"))));
        assertEquals(Map.of("authorization", "Bearer sk-literal"), asMap(auth.headers(bearer("sk-literal"))));
    }

    @Test
    void headerSendsTheKeyInTheNamedHeader() {
        Future<MultiMap> headers = auth.headers(header("api-key", "${LLAMA_API_KEY}"));
        assertEquals(Map.of("api-key", "sk-llama-secret"), asMap(headers));
        assertEquals("sk-llama-secret", headers.result().get("API-Key"), "header names are case-insensitive");
    }

    @Test
    void basicSendsUserAndPasswordInBase64() {
        assertEquals(Map.of("authorization", "Basic bGVnYWN5OnBhOnNzLXNlY3JldA=="),
                asMap(auth.headers(basic("${LEGACY_USER}", "${LEGACY_PASSWORD}"))), "legacy:pa:ss-secret");
        assertEquals("Basic dXNlcjo=", UpstreamAuthHeaders.basic("user", null));
    }

    @Test
    void noneSendsNothingAndAllocatesNothing() {
        AuthConfig[] none = { null, AuthConfig.none(),
                new AuthConfig(null, null, null, null, null, null, null, null, null) };
        for (AuthConfig config : none) {
            Future<MultiMap> headers = auth.headers(config);
            assertSame(UpstreamAuthHeaders.NO_HEADERS, headers.result());
            assertSame(auth.headers(config), headers, "one shared completed future");
        }
        assertTrue(UpstreamAuthHeaders.NO_HEADERS.isEmpty());
    }

    @Test
    void oauth2SendsACachedTokenAsABearerToken() {
        assertEquals(Map.of("authorization", "Bearer tok-1"), asMap(auth.headers(OAUTH)));
        assertEquals(Map.of("authorization", "Bearer tok-1"), asMap(auth.headers(OAUTH)));
        assertEquals(1, endpoint.requests().size());
    }

    @Test
    void aRejectedOAuth2TokenIsReplacedOnTheNextCall() {
        assertEquals(Map.of("authorization", "Bearer tok-1"), asMap(auth.headers(OAUTH)));
        auth.rejected(OAUTH);
        assertEquals(Map.of("authorization", "Bearer tok-2"), asMap(auth.headers(OAUTH)));
        auth.rejected(bearer("sk-literal"));
        auth.rejected(null);
        assertEquals(Map.of("authorization", "Bearer tok-2"), asMap(auth.headers(OAUTH)));
    }

    @Test
    void eachCallGetsItsOwnMap() {
        Future<MultiMap> first = auth.headers(bearer("sk-literal"));
        first.result().set("user-agent", "probe");
        assertEquals(Map.of("authorization", "Bearer sk-literal"), asMap(auth.headers(bearer("sk-literal"))));
    }

    @Test
    void aMissingVariableFailsNamingItAndSendsNothing() {
        List<AuthConfig> configs = List.of(bearer("${NOT_SET_KEY}"), header("x-api-key", "${NOT_SET_KEY}"),
                basic("${LEGACY_USER}", "${NOT_SET_KEY}"),
                new AuthConfig(AuthConfig.OAUTH2_CLIENT_CREDENTIALS, null, null, null, null, "https://t", "id",
                        "${NOT_SET_KEY}", null));
        List<String> fields = List.of("auth.api_key", "auth.api_key", "auth.password", "auth.client_secret");
        for (int i = 0; i < configs.size(); i++) {
            Future<MultiMap> headers = auth.headers(configs.get(i));
            MissingSecretException missing = assertInstanceOf(MissingSecretException.class, headers.cause());
            assertEquals(fields.get(i), missing.field());
            assertEquals("NOT_SET_KEY", missing.variable());
            for (String value : ENVIRONMENT.values()) {
                assertFalse(missing.getMessage().contains(value), missing.getMessage());
            }
        }
        assertEquals(List.of(), endpoint.requests());
    }

    @Test
    void anUnknownTypeFails() {
        Future<MultiMap> headers = auth.headers(new AuthConfig("digest", "k", null, null, null, null, null, null,
                null));
        UnsupportedAuthTypeException unknown = assertInstanceOf(UnsupportedAuthTypeException.class, headers.cause());
        assertEquals("digest", unknown.authType());
        assertEquals("unknown auth_type 'digest'", unknown.getMessage());
    }

    @Test
    void aTokenEndpointRefusalFailsTheHeaders() {
        endpoint.reply(401, "{\"error\":\"invalid_client\"}");
        TokenRequestException refused = assertInstanceOf(TokenRequestException.class, auth.headers(OAUTH).cause());
        assertEquals(401, refused.status());
        assertFalse(refused.getMessage().contains("corp-secret"), refused.getMessage());
    }

    @Test
    void unsetSecretsNamesTheVariablesNotProvidedAndNothingElse() {
        assertEquals(List.of("OPENAI_API_KEY"), UpstreamAuthHeaders.unsetSecrets(secrets, bearer("${OPENAI_API_KEY}")));
        assertEquals(List.of(), UpstreamAuthHeaders.unsetSecrets(secrets, bearer("${LLAMA_API_KEY}")));
        assertEquals(List.of(), UpstreamAuthHeaders.unsetSecrets(secrets, bearer("sk-literal")));
        assertEquals(List.of(), UpstreamAuthHeaders.unsetSecrets(secrets, AuthConfig.none()));
        assertEquals(List.of(), UpstreamAuthHeaders.unsetSecrets(secrets, null));
        assertEquals(List.of("NEW_USER", "NEW_PASSWORD"),
                UpstreamAuthHeaders.unsetSecrets(secrets, basic("${NEW_USER}", "${NEW_PASSWORD}")));
        assertEquals(List.of("ANTHROPIC_API_KEY"),
                UpstreamAuthHeaders.unsetSecrets(secrets, header("x-api-key", "${ANTHROPIC_API_KEY}")));
        assertEquals(List.of(), UpstreamAuthHeaders.unsetSecrets(secrets, OAUTH));
        // a refused name is a misconfiguration the call reports, not a credential still to be provided
        assertEquals(List.of(), UpstreamAuthHeaders.unsetSecrets(secrets, bearer("${GATEWAY_ADMIN_TOKEN}")));
    }
}
