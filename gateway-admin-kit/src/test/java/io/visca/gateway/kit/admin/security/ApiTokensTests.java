package io.visca.gateway.kit.admin.security;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which presented tokens open a realm: exactly one of its tokens; absent and blank ones are no tokens. */
class ApiTokensTests {

    @Test
    void acceptsEachOfItsTokensAndNothingElse() {
        ApiTokens tokens = new ApiTokens(Optional.of("admin-token"), Optional.of("billing-token"));
        for (String token : List.of("admin-token", "billing-token")) {
            assertTrue(tokens.accepts(token), token);
        }
        for (String other : List.of("admin-token ", "admin", "admin-tokenx", "ADMIN-TOKEN", "")) {
            assertFalse(tokens.accepts(other), other);
        }
    }

    @Test
    void absentAndBlankTokensOpenNothing() {
        ApiTokens tokens = new ApiTokens(Optional.empty(), Optional.of("  "));
        assertTrue(tokens.isEmpty());
        assertFalse(tokens.accepts("  "));
        assertFalse(tokens.accepts(""));
        assertFalse(new ApiTokens(Optional.of("admin-token")).isEmpty());
    }

    @Test
    void aRequiredTokenMustBeSetAndIsNamedWhenMissing() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ApiTokens.require("GATEWAY_ADMIN_TOKEN (x.admin-token)", " "));
        assertTrue(refused.getMessage().contains("GATEWAY_ADMIN_TOKEN (x.admin-token)"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> ApiTokens.require("GATEWAY_ADMIN_TOKEN", null));
        assertDoesNotThrow(() -> ApiTokens.require("GATEWAY_ADMIN_TOKEN", "set"));
    }
}
