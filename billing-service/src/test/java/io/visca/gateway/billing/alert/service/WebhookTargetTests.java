package io.visca.gateway.billing.alert.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code BUDGET_ALERT_WEBHOOK_URL} as billing checks it at start: only http(s), never quoted back. */
class WebhookTargetTests {

    @Test
    void refusesWhatIsNotAnAbsoluteHttpUrlWithoutQuotingIt() {
        for (String url : new String[] { "ftp://hooks.example.com/secret-path", "file:///etc/secret-path",
                "hooks.example.com/secret-path", "/secret-path", "http://user:secret-path@hooks.example.com/x",
                "http:///secret-path", "http://exa mple.com/secret-path" }) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> WebhookTarget.parse(url),
                    url);
            assertTrue(refused.getMessage().startsWith("BUDGET_ALERT_WEBHOOK_URL"), refused.getMessage());
            assertFalse(refused.getMessage().contains("secret-path"), refused.getMessage());
        }
        assertTrue(assertThrows(IllegalStateException.class, () -> WebhookTarget.parse("ftp://h/x")).getMessage()
                .contains("must be an absolute http:// or https:// URL, not a ftp: one"));
    }

    @Test
    void takesHttpAndHttpsWithTheirPortsAndShowsNoPathOrQuery() {
        WebhookTarget https = WebhookTarget.parse("https://hooks.example.com/services/T0/B0/secret-token");
        assertEquals("hooks.example.com", https.host());
        assertEquals(443, https.port());
        assertEquals("https://hooks.example.com:443/...", https.toString());
        WebhookTarget http = WebhookTarget.parse(" HTTP://10.0.0.5:8099/hook?token=secret-token ");
        assertEquals(8099, http.port());
        assertEquals("http://10.0.0.5:8099/hook?token=secret-token", http.url());
        assertFalse(http.toString().contains("secret-token"));
    }
}
