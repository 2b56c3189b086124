package io.visca.gateway.registry.provider.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretValuesTests {

    @ParameterizedTest
    @ValueSource(strings = { "${OPENAI_API_KEY}", "${_x}", "${a1}", "sk-literal", "pa$$word", "********" })
    void acceptsReferencesAndPlainLiterals(String value) {
        assertNull(SecretValues.problem(value));
    }

    @ParameterizedTest
    @ValueSource(strings = { "${", "${}", "${1X}", "$(X)", "${A-B}", "${A", "x${A}", "${A}${B}", "${ A }",
            "$OPENAI_API_KEY", " " })
    void rejectsMalformedReferences(String value) {
        String problem = SecretValues.problem(value);
        assertNotNull(problem, value);
        assertFalse(value.length() > 3 && problem.contains(value), "the value is not echoed: " + problem);
    }

    @Test
    void onlyLiteralsAreSecrets() {
        assertTrue(SecretValues.isLiteral("sk-1"));
        assertFalse(SecretValues.isLiteral("${KEY}"));
        assertFalse(SecretValues.isLiteral(SecretValues.REDACTED));
        assertFalse(SecretValues.isLiteral(null));
        assertEquals("KEY", SecretValues.referenceName("${KEY}"));
        assertNull(SecretValues.referenceName("KEY"));
    }
}
