package io.visca.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SecretResolverTests {

    /** Every name allowed: these tests are about the reference syntax ({@link SecretPolicyTests} about names). */
    private final SecretResolver secrets = new SecretResolver(SecretPolicy.allowing(".*"), null,
            Map.of("OPENAI_API_KEY", "sk-live-123", "EMPTY", "", "_under_9", "u9")::get, List.of());

    @Test
    void resolvesAReferenceFromTheEnvironment() {
        assertEquals("sk-live-123", secrets.resolve("auth.api_key", "${OPENAI_API_KEY}"));
        assertEquals("u9", secrets.resolve("auth.api_key", "${_under_9}"));
    }

    @Test
    void literalsAndNullPassThrough() {
        assertEquals("sk-literal", secrets.resolve("auth.api_key", "sk-literal"));
        assertNull(secrets.resolve("auth.api_key", null));
        assertEquals("", secrets.resolve("auth.api_key", ""));
    }

    @Test
    void onlyAWholeReferenceIsResolved() {
        for (String literal : new String[] { "$OPENAI_API_KEY", "${OPENAI_API_KEY}x", "x${OPENAI_API_KEY}",
                "${1ABC}", "${}", "${A-B}", "${OPENAI_API_KEY" }) {
            assertEquals(literal, secrets.resolve("auth.api_key", literal), literal);
        }
    }

    @Test
    void aMissingVariableNamesTheFieldAndTheVariable() {
        MissingSecretException missing = assertThrows(MissingSecretException.class,
                () -> secrets.resolve("auth.client_secret", "${CORP_CLIENT_SECRET}"));
        assertEquals("auth.client_secret", missing.field());
        assertEquals("CORP_CLIENT_SECRET", missing.variable());
        assertEquals("auth.client_secret references ${CORP_CLIENT_SECRET}, but environment variable "
                + "CORP_CLIENT_SECRET is not set", missing.getMessage());
    }

    @Test
    void anEmptyVariableCountsAsMissing() {
        MissingSecretException missing = assertThrows(MissingSecretException.class,
                () -> secrets.resolve("auth.password", "${EMPTY}"));
        assertEquals("EMPTY", missing.variable());
    }

    @Test
    void theErrorHoldsNoValueOfTheEnvironment() {
        MissingSecretException missing = assertThrows(MissingSecretException.class,
                () -> secrets.resolve("auth.api_key", "${OPENAI_API_KEY_2}"));
        assertFalse(missing.getMessage().contains("sk-live-123"), missing.getMessage());
        assertNull(missing.getCause());
        assertEquals(0, missing.getStackTrace().length, "no stack trace to log by mistake");
    }

    @Test
    void namesTheVariableOfAReference() {
        assertEquals("KEY", SecretResolver.referenceName("${KEY}"));
        assertNull(SecretResolver.referenceName("KEY"));
        assertNull(SecretResolver.referenceName(null));
        assertTrue(SecretResolver.NAME_SYNTAX.startsWith("[A-Za-z_]"));
    }
}
