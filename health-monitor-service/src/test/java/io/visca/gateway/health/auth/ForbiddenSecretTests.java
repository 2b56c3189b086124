package io.visca.gateway.health.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.health.testing.HealthEvents;
import io.visca.gateway.health.testing.MonitorApi;
import io.visca.gateway.health.testing.MonitorLog;
import io.visca.gateway.health.testing.MonitorTestResource;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.health.testing.RegistryAdmin;
import io.visca.gateway.infra.test.GatewayInfraResource;

/**
 * Probes never send the monitor's own credentials, whatever a provider config says. The surefire configuration puts
 * its service token in this JVM's environment as in production ({@code GATEWAY_SERVICE_TOKEN}) and an alias of it
 * under an allowed name ({@code ALIASED_SERVICE_TOKEN}); a real upstream records every probe.
 */
@QuarkusTest
class ForbiddenSecretTests {

    private static final String TOKEN = MonitorTestResource.SERVICE_TOKEN;

    private static FakeOpenAiServer upstream;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAiServer.start();
    }

    @AfterAll
    static void stop() {
        List.of("hm-alias", "hm-stored", "hm-stored-trigger").forEach(RegistryAdmin::deleteProvider);
        upstream.close();
    }

    private static void assertTokenNeverSent() {
        assertEquals(TOKEN, System.getenv("GATEWAY_SERVICE_TOKEN"), "the token is in the monitor's environment");
        assertEquals(List.of(), upstream.requests(), "no probe goes out with a refused secret");
    }

    @Test
    void anAliasOfTheServiceTokenFailsTheProbeByItsValue() {
        long mark = MonitorLog.mark();
        ProviderJson.of("hm-alias", "openai-compatible").endpoint("e1", upstream.baseUrl())
                .bearer("${ALIASED_SERVICE_TOKEN}").put();
        String reason = "auth.api_key references ${ALIASED_SERVICE_TOKEN}, which is refused: its value holds one of "
                + "this service's own credentials (by the health monitor)";
        assertEquals(reason, MonitorApi.awaitStatus("hm-alias", "e1", "DOWN").lastReason());
        assertEquals(reason, HealthEvents.get().awaitStatus("hm-alias/e1", "DOWN").value().path("reason").asText());
        assertTokenNeverSent();
        assertFalse(MonitorLog.since(mark).contains(TOKEN));
    }

    @Test
    void aStoredReferenceToTheServiceTokenIsNeverResolved() throws Exception {
        ProviderJson.of("hm-stored", "openai-compatible").endpoint("e1", upstream.baseUrl())
                .bearer("${HM_STORED_PLACEHOLDER_KEY}").put();
        // not set: the monitor has it, and leaves it unprobed (no credentials)
        MonitorApi.awaitEndpoint("hm-stored", "e1", e -> e.lastReason() != null
                && e.lastReason().startsWith("no credentials (HM_STORED_PLACEHOLDER_KEY"));
        // past the registry's save-time check: straight into its table, as a direct write could have left it
        Map<String, String> db = GatewayInfraResource.database("registry");
        try (Connection connection = DriverManager.getConnection("jdbc:" + db.get("url"), db.get("user"),
                db.get("password"));
                PreparedStatement update = connection.prepareStatement("update provider set document = "
                        + "replace(document, '${HM_STORED_PLACEHOLDER_KEY}', '${GATEWAY_SERVICE_TOKEN}') "
                        + "where name = 'hm-stored'")) {
            assertEquals(1, update.executeUpdate());
        }
        // any change makes the monitor fetch the whole snapshot again, the rewritten provider with it
        ProviderJson.of("hm-stored-trigger", "openai-compatible").endpoint("e1", upstream.baseUrl())
                .healthChecks(false).put();

        String reason = "auth.api_key references ${GATEWAY_SERVICE_TOKEN}, which is refused: names starting with "
                + "GATEWAY_ are the gateway's own settings and credentials, which provider configs can never read "
                + "(by the health monitor)";
        assertEquals(reason, MonitorApi.awaitEndpoint("hm-stored", "e1", e -> reason.equals(e.lastReason()))
                .lastReason());
        assertTokenNeverSent();
    }
}
