package io.visca.gateway.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.health.testing.MonitorApi;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.health.testing.RegistryAdmin;

/**
 * A monitor with {@code GATEWAY_OUTBOUND_LOOPBACK=deny}: endpoints on this machine (127.0.0.1, or the name
 * {@code localhost}, looked up for real) are not probed, the reason names the rule, and the fake listening there sees
 * no request. The registry (default policy) saved them; the monitor's own setting decides.
 */
@QuarkusTest
@TestProfile(LoopbackDeniedProbeTests.LoopbackDenied.class)
class LoopbackDeniedProbeTests {

    /** As {@code GATEWAY_OUTBOUND_LOOPBACK=deny} sets it. */
    public static class LoopbackDenied implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("health.outbound.loopback", "deny");
        }
    }

    private static FakeOpenAiServer local;

    @BeforeAll
    static void start() {
        local = FakeOpenAiServer.start();
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider("hm-loopback-denied");
        local.close();
    }

    @Test
    void endpointsOnThisMachineAreNotProbed() {
        ProviderJson.of("hm-loopback-denied", "openai-compatible").endpoint("ip", local.baseUrl())
                .endpoint("name", "http://localhost:" + local.port() + "/v1").auth("{\"auth_type\":\"none\"}").put();
        assertEquals("GET /v1/models: not sent: 127.0.0.1 is a loopback address: refused by the outbound URL policy "
                + "(GATEWAY_OUTBOUND_LOOPBACK=deny)",
                MonitorApi.awaitStatus("hm-loopback-denied", "ip", "DOWN").lastReason());
        String byName = MonitorApi.awaitStatus("hm-loopback-denied", "name", "DOWN").lastReason();
        assertTrue(byName.startsWith("GET /v1/models: not sent: localhost resolves to "), byName);
        assertTrue(byName.endsWith("a loopback address: refused by the outbound URL policy "
                + "(GATEWAY_OUTBOUND_LOOPBACK=deny)"), byName);
        assertTrue(local.requests().isEmpty(), "the fake on loopback saw nothing: " + local.requests());
    }
}
