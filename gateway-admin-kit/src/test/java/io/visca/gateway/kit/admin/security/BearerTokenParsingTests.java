package io.visca.gateway.kit.admin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What counts as a presented bearer token: only {@code Bearer <token>}, the scheme in any case. */
class BearerTokenParsingTests {

    @Test
    void readsTheTokenOfABearerHeaderInAnyCase() {
        assertEquals("abc", BearerTokenFilter.bearerToken("Bearer abc"));
        assertEquals("abc", BearerTokenFilter.bearerToken("bearer abc"));
        assertEquals("abc", BearerTokenFilter.bearerToken("  BEARER   abc  "));
    }

    @Test
    void anyOtherHeaderPresentsNoToken() {
        assertNull(BearerTokenFilter.bearerToken(null));
        assertNull(BearerTokenFilter.bearerToken("Bearer"));
        assertNull(BearerTokenFilter.bearerToken("Bearer    "));
        assertNull(BearerTokenFilter.bearerToken("Basic abc"));
        assertNull(BearerTokenFilter.bearerToken("Bearerabc"));
    }
}
