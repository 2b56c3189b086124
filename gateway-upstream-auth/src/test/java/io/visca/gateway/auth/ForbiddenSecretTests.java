package io.visca.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.visca.gateway.contracts.provider.AuthConfig;

/**
 * What a resolver refuses: names the policy refuses (never looked up) and values that hold the calling service's own
 * credentials (an alias of one under an allowed name). Refusals name the field, the variable and the rule, never a
 * value, and nothing is sent.
 */
class ForbiddenSecretTests {

    private static final String SERVICE_TOKEN = "svc-token-0123456789";
    private static final String DB_PASSWORD = "pg";

    private final Map<String, String> environment = new HashMap<>(Map.of("GATEWAY_SERVICE_TOKEN", SERVICE_TOKEN,
            "MY_API_KEY", SERVICE_TOKEN, "WRAPPED_API_KEY", "Bearer " + SERVICE_TOKEN, "PADDED_API_KEY",
            " " + SERVICE_TOKEN + "\n", "SHORT_PASSWORD", DB_PASSWORD, "UPGRADE_KEY", "upgrade-pg-key", "TENANT",
            "acme", "OPENAI_API_KEY", "sk-openai"));
    private final List<String> lookedUp = new ArrayList<>();
    private final SecretResolver secrets = new SecretResolver(SecretPolicy.defaults(), null, name -> {
        lookedUp.add(name);
        return environment.get(name);
    }, Arrays.asList(SERVICE_TOKEN, DB_PASSWORD, null, " "));

    @Test
    void refusesTheServiceTokenByNameWithoutLookingItUp() {
        ForbiddenSecretException e = assertThrows(ForbiddenSecretException.class,
                () -> secrets.resolve("auth.api_key", "${GATEWAY_SERVICE_TOKEN}"));
        assertEquals("auth.api_key", e.field());
        assertEquals("GATEWAY_SERVICE_TOKEN", e.variable());
        assertEquals(ForbiddenSecretException.Rule.RESERVED_NAME, e.rule());
        assertEquals("auth.api_key references ${GATEWAY_SERVICE_TOKEN}, which is refused: names starting with "
                + "GATEWAY_ are the gateway's own settings and credentials, which provider configs can never read",
                e.getMessage());
        assertEquals(List.of(), lookedUp, "a refused name is never read");
        assertEquals(0, e.getStackTrace().length, "no stack trace to log by mistake");
    }

    @Test
    void refusesANameOutsideTheAllowPattern() {
        ForbiddenSecretException e = assertThrows(ForbiddenSecretException.class,
                () -> secrets.resolve("request.headers.X-Tenant", "${TENANT}"));
        assertEquals(ForbiddenSecretException.Rule.NOT_ALLOWED, e.rule());
        assertTrue(e.getMessage().startsWith("request.headers.X-Tenant references ${TENANT}, which is refused: the "
                + "name does not match the allowed secret names (GATEWAY_SECRET_NAMES: "), e.getMessage());
        assertEquals(List.of(), lookedUp);
    }

    @Test
    void refusesAnAliasOfTheServicesOwnCredential() {
        for (String alias : List.of("MY_API_KEY", "WRAPPED_API_KEY", "PADDED_API_KEY")) {
            ForbiddenSecretException e = assertThrows(ForbiddenSecretException.class,
                    () -> secrets.resolve("auth.api_key", "${" + alias + "}"), alias);
            assertEquals(ForbiddenSecretException.Rule.SERVICE_CREDENTIAL, e.rule());
            assertEquals("auth.api_key references ${" + alias + "}, which is refused: its value holds one of this "
                    + "service's own credentials", e.getMessage());
            assertFalse(e.getMessage().contains(SERVICE_TOKEN));
        }
    }

    @Test
    void aShortCredentialIsRefusedOnlyAsTheWholeValue() {
        assertEquals(ForbiddenSecretException.Rule.SERVICE_CREDENTIAL, assertThrows(ForbiddenSecretException.class,
                () -> secrets.resolve("auth.password", "${SHORT_PASSWORD}")).rule());
        assertEquals("upgrade-pg-key", secrets.resolve("auth.api_key", "${UPGRADE_KEY}"));
        assertEquals("sk-openai", secrets.resolve("auth.api_key", "${OPENAI_API_KEY}"));
    }

    @Test
    void headersFailWithTheRefusalAndNoTokenIsRequested() {
        FakeTokenEndpoint endpoint = new FakeTokenEndpoint();
        UpstreamAuthHeaders auth = new UpstreamAuthHeaders(secrets,
                new OAuth2TokenCache(endpoint, secrets, Duration.ofSeconds(5)));

        Future<MultiMap> bearer = auth.headers(new AuthConfig(AuthConfig.BEARER, "${MY_API_KEY}", null, null, null,
                null, null, null, null));
        assertInstanceOf(ForbiddenSecretException.class, bearer.cause());
        Future<MultiMap> basic = auth.headers(new AuthConfig(AuthConfig.BASIC, null, null, "${OPENAI_API_KEY}",
                "${DB_PASSWORD}", null, null, null, null));
        assertEquals("auth.password", ((ForbiddenSecretException) basic.cause()).field());
        Future<MultiMap> oauth = auth.headers(new AuthConfig(AuthConfig.OAUTH2_CLIENT_CREDENTIALS, null, null, null,
                null, "https://login.example.com/token", "${OPENAI_API_KEY}", "${GATEWAY_SERVICE_TOKEN}", null));
        assertEquals("auth.client_secret", ((ForbiddenSecretException) oauth.cause()).field());
        assertEquals(List.of(), endpoint.requests(), "the client secret is never sent to the token URL");
    }
}
