package io.visca.gateway.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.fakes.FakeOllamaServer;
import io.visca.gateway.fakes.FakeTgiServer;
import io.visca.gateway.health.testing.MonitorApi;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.health.testing.RegistryAdmin;

/** A failed probe's reason says what happened: HTTP status, timeout, DNS, TLS; healthy_statuses decide what is UP. */
@QuarkusTest
class ProbeFailureReasonsTests {

    private static FakeOllamaServer slow;
    private static FakeOllamaServer plain;
    private static FakeTgiServer failing;

    @BeforeAll
    static void upstreams() {
        slow = FakeOllamaServer.start().delay(3_000);
        plain = FakeOllamaServer.start();
        failing = FakeTgiServer.start().failWith(503, null);
    }

    @AfterAll
    static void cleanUp() {
        RegistryAdmin.deleteProvider("hm-reasons");
        RegistryAdmin.deleteProvider("hm-unhealthy-tgi");
        RegistryAdmin.deleteProvider("hm-statuses");
        slow.close();
        plain.close();
        failing.close();
    }

    @Test
    void reasonsNameTheHttpStatusTimeoutDnsAndTlsFailures() {
        ProviderJson.of("hm-reasons", "ollama").endpoint("slow", slow.baseUrl())
                .endpoint("nxdomain", "http://hm-no-such-host.invalid:11434")
                .endpoint("tls", "https://127.0.0.1:" + plain.port()).put();
        ProviderJson.of("hm-unhealthy-tgi", "tgi").endpoint("e1", failing.baseUrl()).put();

        assertEquals("GET /: timeout: no answer within 1 s",
                MonitorApi.awaitStatus("hm-reasons", "slow", "DOWN").lastReason());
        String dns = MonitorApi.awaitStatus("hm-reasons", "nxdomain", "DOWN").lastReason();
        assertTrue(dns.startsWith("GET /: DNS: the host name does not resolve"), dns);
        String tls = MonitorApi.awaitStatus("hm-reasons", "tls", "DOWN").lastReason();
        assertTrue(tls.startsWith("GET /: TLS handshake failed"), tls);
        assertEquals("GET /health answered HTTP 503",
                MonitorApi.awaitStatus("hm-unhealthy-tgi", "e1", "DOWN").lastReason());
    }

    @Test
    void healthyStatusesDecideWhichAnswersAreHealthy() {
        ProviderJson.of("hm-statuses", "ollama").endpoint("listed", plain.baseUrl()).healthPath("/nowhere")
                .healthyStatuses("[404]").put();
        assertEquals("GET /nowhere answered HTTP 404",
                MonitorApi.awaitStatus("hm-statuses", "listed", "UP").lastReason());

        ProviderJson.of("hm-statuses", "ollama").endpoint("listed", plain.baseUrl()).healthPath("/nowhere").put();
        assertEquals("GET /nowhere answered HTTP 404",
                MonitorApi.awaitStatus("hm-statuses", "listed", "DOWN").lastReason(), "empty: only 2xx is healthy");
    }
}
