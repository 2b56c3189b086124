package io.visca.gateway.health.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.fakes.RecordedRequest;
import io.visca.gateway.health.testing.MonitorApi;
import io.visca.gateway.health.testing.MonitorLog;
import io.visca.gateway.health.testing.MonitorTestResource;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.health.testing.RegistryAdmin;

/**
 * Literal provider keys reach the monitor only encrypted, in the real registry's snapshot: it opens them with the
 * secrets key when it takes the snapshot in and probes with the plaintext. A value it cannot open (here altered in the
 * registry's database) fails that provider's probes with a clear reason, sends nothing, and is logged once.
 */
@QuarkusTest
class EncryptedSecretsTests {

    private static final String KEY = "sk-hm-sealed-4711";
    private static FakeOpenAiServer upstream;
    private static FakeOpenAiServer other;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAiServer.start().requireApiKey(KEY);
        other = FakeOpenAiServer.start();
    }

    @AfterAll
    static void stop() {
        List.of("hm-sealed", "hm-sealed-trigger", "hm-sealed-trigger-2").forEach(RegistryAdmin::deleteProvider);
        upstream.close();
        other.close();
    }

    @Test
    void probesWithTheDecryptedKeyAndFailsClearlyWhenItDoesNotDecrypt() throws Exception {
        ProviderJson.of("hm-sealed", "openai-compatible").endpoint("e1", upstream.baseUrl()).bearer(KEY).put();
        MonitorApi.awaitEndpoint("hm-sealed", "e1", e -> "UP".equals(e.status()) && e.consecutiveSuccesses() >= 2);
        String sealed = storedKey("hm-sealed");
        assertTrue(sealed.startsWith("enc:v1:"), "the registry holds it encrypted");
        for (RecordedRequest probe : upstream.requests()) {
            assertEquals("Bearer " + KEY, probe.header("authorization"));
        }

        long mark = MonitorLog.mark();
        char c = sealed.charAt(sealed.length() - 6);
        String tampered = sealed.substring(0, sealed.length() - 6) + (c == 'x' ? 'y' : 'x')
                + sealed.substring(sealed.length() - 5);
        replaceInDocument("hm-sealed", sealed, tampered);
        // any change makes the monitor fetch the whole snapshot again, the altered row included
        ProviderJson.of("hm-sealed-trigger", "openai-compatible").endpoint("e1", other.baseUrl()).put();

        String reason = MonitorApi.awaitStatus("hm-sealed", "e1", "DOWN").lastReason();
        assertTrue(reason.startsWith("auth.api_key cannot be decrypted with the secrets key"), reason);
        assertTrue(reason.endsWith(" (in the health monitor)"), reason);
        assertFalse(reason.contains(tampered.substring(20)), reason);
        MonitorApi.awaitStatus("hm-sealed-trigger", "e1", "UP");
        int sent = upstream.requests().size();
        Thread.sleep(2_500);
        assertEquals(sent, upstream.requests().size(), "no probe goes out without its key");

        ProviderJson.of("hm-sealed-trigger-2", "openai-compatible").endpoint("e1", other.baseUrl()).put();
        MonitorApi.awaitStatus("hm-sealed-trigger-2", "e1", "UP");
        String log = MonitorLog.since(mark);
        assertEquals(1, occurrences(log, "provider 'hm-sealed' cannot be probed"), "logged once: " + log);
        assertFalse(log.contains(tampered.substring(20)));
        assertFalse(log.contains(KEY));
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String storedKey(String provider) throws SQLException {
        try (Connection c = connect();
                PreparedStatement select = c.prepareStatement(
                        "select document::json->'auth'->>'api_key' from provider where name = ?")) {
            select.setString(1, provider);
            try (ResultSet rows = select.executeQuery()) {
                assertTrue(rows.next(), "no row for " + provider);
                return rows.getString(1);
            }
        }
    }

    private static void replaceInDocument(String provider, String from, String to) throws SQLException {
        try (Connection c = connect();
                PreparedStatement update = c.prepareStatement(
                        "update provider set document = replace(document, ?, ?) where name = ?")) {
            update.setString(1, from);
            update.setString(2, to);
            update.setString(3, provider);
            assertEquals(1, update.executeUpdate());
        }
    }

    private static Connection connect() throws SQLException {
        Map<String, String> db = MonitorTestResource.database();
        return DriverManager.getConnection("jdbc:" + db.get("url"), db.get("user"), db.get("password"));
    }
}
