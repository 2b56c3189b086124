package io.visca.gateway.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.fakes.RecordedRequest;
import io.visca.gateway.health.testing.MonitorApi;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.health.testing.RegistryAdmin;

/**
 * The product page's vLLM example as printed: {@code base_url} {@code http://127.0.0.1:PORT/v1} with
 * {@code "health_check": {"endpoint": "/health"}}, against an OpenAI-compatible fake that serves {@code /health} only at
 * its root, as vLLM and TGI do. The path resolves against the base URL's origin, so the endpoint is UP; a relative
 * path resolves under the base URL.
 */
@QuarkusTest
class ProbePathResolutionTests {

    private static FakeOpenAiServer vllm;
    private static FakeOpenAiServer other;

    @BeforeAll
    static void upstreams() {
        vllm = FakeOpenAiServer.start().requireApiKey("your-api-key");
        other = FakeOpenAiServer.start().requireApiKey("your-api-key");
    }

    @AfterAll
    static void cleanUp() {
        RegistryAdmin.deleteProvider("hm-my-vllm-server");
        RegistryAdmin.deleteProvider("hm-vllm-relative");
        vllm.close();
        other.close();
    }

    @Test
    void theProductPagesVllmHealthCheckProbesTheServersRootAndIsUp() {
        assertTrue(vllm.baseUrl().endsWith("/v1"), vllm.baseUrl());
        ProviderJson.of("hm-my-vllm-server", "openai-compatible").endpoint("vllm-1", vllm.baseUrl())
                .bearer("your-api-key").healthPath("/health").put();

        MonitorApi.Endpoint up = MonitorApi.awaitStatus("hm-my-vllm-server", "vllm-1", "UP");
        assertEquals("GET /health answered HTTP 200", up.lastReason());
        assertEquals("GET /health", up.fields().get("probe"));
        List<String> probed = vllm.requests().stream().filter(r -> r.method().equals("GET"))
                .map(RecordedRequest::path).distinct().toList();
        assertEquals(List.of("/health"), probed, "the root's /health, never /v1/health");
    }

    @Test
    void aRelativePathIsProbedUnderTheBaseUrl() {
        ProviderJson.of("hm-vllm-relative", "openai-compatible").endpoint("vllm-1", other.baseUrl())
                .bearer("your-api-key").healthPath("health").put();

        MonitorApi.Endpoint down = MonitorApi.awaitStatus("hm-vllm-relative", "vllm-1", "DOWN");
        assertEquals("GET /v1/health answered HTTP 404", down.lastReason());

        ProviderJson.of("hm-vllm-relative", "openai-compatible").endpoint("vllm-1", other.baseUrl())
                .bearer("your-api-key").healthPath("./models").put();
        MonitorApi.Endpoint up = MonitorApi.awaitStatus("hm-vllm-relative", "vllm-1", "UP");
        assertEquals("GET /v1/models answered HTTP 200", up.lastReason());
        assertFalse(other.requests().stream().anyMatch(r -> r.path().equals("/models")), "never the root's /models");
    }
}
