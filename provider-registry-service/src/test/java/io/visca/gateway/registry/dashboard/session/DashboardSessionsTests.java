package io.visca.gateway.registry.dashboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The stateless session cookie and its CSRF token, without a server. */
class DashboardSessionsTests {

    private static final Instant NOW = Instant.parse("2026-11-26T07:00:00Z");

    private static DashboardSessions sessions(String token, Instant now) {
        return new DashboardSessions(token, 3600, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aSessionIsValidUntilItExpiresAndOnEveryInstanceWithTheSameToken() {
        String cookie = sessions("admin-token", NOW).issue();
        assertNotNull(sessions("admin-token", NOW.plus(Duration.ofMinutes(59))).verify(cookie));
        assertNull(sessions("admin-token", NOW.plus(Duration.ofMinutes(60))).verify(cookie));
        assertFalse(cookie.contains("admin-token"));
    }

    @Test
    void changingTheAdminTokenLogsEveryoneOut() {
        String cookie = sessions("admin-token", NOW).issue();
        assertNull(sessions("new-admin-token", NOW).verify(cookie));
    }

    @Test
    void theCsrfTokenBelongsToOneSessionAndIsNotDerivableFromTheCookie() {
        DashboardSessions sessions = sessions("admin-token", NOW);
        DashboardSessions.Session one = sessions.verify(sessions.issue());
        DashboardSessions.Session two = sessions.verify(sessions.issue());
        String csrf = sessions.csrfToken(one);
        assertTrue(sessions.csrfValid(one, csrf));
        assertFalse(sessions.csrfValid(two, csrf));
        assertFalse(sessions.csrfValid(one, null));
        assertFalse(sessions.csrfValid(one, ""));
        assertNotEquals(sessions("other-token", NOW).csrfToken(one), csrf);
    }

    @Test
    void rejectsMalformedCookies() {
        DashboardSessions sessions = sessions("admin-token", NOW);
        String cookie = sessions.issue();
        String[] parts = cookie.split("\\.");
        assertEquals(3, parts.length);
        for (String bad : new String[] { null, "", ".", "..", "a.b.c", parts[0] + "." + parts[1] + ".",
                (Long.parseLong(parts[0]) + 1) + "." + parts[1] + "." + parts[2], cookie + "A", "x".repeat(300),
                parts[0] + "." + parts[1] + ".!!!" }) {
            assertNull(sessions.verify(bad), bad);
        }
    }
}
