package io.visca.gateway.health.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.visca.gateway.kit.admin.security.ApiTokens;

/** Which bearer tokens open the monitor's read API: the service token, and the admin token when it is set. */
class HealthRealmsTests {

    @Test
    void acceptsTheServiceAndTheAdminTokenOnly() {
        ApiTokens tokens = HealthRealms.tokens("service-token", Optional.of("admin-token"));
        assertTrue(tokens.accepts("service-token"));
        assertTrue(tokens.accepts("admin-token"));
        assertFalse(tokens.accepts("admin-token "));
        assertFalse(tokens.accepts("admin"));
        assertFalse(tokens.accepts(""));
    }

    @Test
    void withoutAnAdminTokenOnlyTheServiceTokenOpensIt() {
        ApiTokens tokens = HealthRealms.tokens("service-token", Optional.of("  "));
        assertTrue(tokens.accepts("service-token"));
        assertFalse(tokens.accepts("  "), "a blank admin token is no token");
        assertFalse(HealthRealms.tokens("service-token", Optional.empty()).accepts("admin-token"));
    }

    @Test
    void theServiceTokenIsRequired() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> HealthRealms.tokens(" ", Optional.of("admin-token")));
        assertTrue(refused.getMessage().contains("GATEWAY_SERVICE_TOKEN"), refused.getMessage());
    }
}
