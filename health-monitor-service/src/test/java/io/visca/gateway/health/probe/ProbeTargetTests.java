package io.visca.gateway.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.HealthCheckConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;

/** Which URL a probe GETs for each provider type, and which answers count as healthy. */
class ProbeTargetTests {

    private static ProviderConfig provider(String type, String path, List<Integer> healthy) {
        return new ProviderConfig("p", type, true, List.of(), AuthConfig.none(), List.of(),
                new HealthCheckConfig(true, path, 10, 2, 3, 1, healthy), null, null, null, null, null);
    }

    private static ProbeTarget target(String type, String baseUrl, String path, List<Integer> healthy) {
        return ProbeTarget.of(provider(type, path, healthy), new EndpointConfig("e", baseUrl, 1));
    }

    @ParameterizedTest
    @CsvSource({ "openai-compatible, https://api.example.com/v1/, https://api.example.com/v1/models",
            "anthropic, https://api.anthropic.com, https://api.anthropic.com/v1/models",
            "tgi, http://tgi:8080, http://tgi:8080/health",
            "ollama, http://ollama:11434, http://ollama:11434/",
            "replicate, https://api.replicate.com/v1, https://api.replicate.com/v1/account",
            "custom, https://models.example.com/api, https://models.example.com/api" })
    void probesTheTypesFreePathWhenNoneIsConfigured(String type, String baseUrl, String url) {
        assertEquals(url, target(type, baseUrl, null, List.of()).url());
    }

    @Test
    void aPathFromTheRootResolvesAgainstTheBaseUrlsOrigin() {
        // the product page's vLLM example: vLLM and TGI serve /health at the server's root, not under /v1
        assertEquals("http://vllm:8000/health", target("openai-compatible", "http://vllm:8000/v1", "/health",
                List.of()).url());
    }

    @Test
    void aRelativePathResolvesUnderTheBaseUrl() {
        assertEquals("http://vllm:8000/v1/health", target("openai-compatible", "http://vllm:8000/v1", "health",
                List.of()).url());
        assertEquals("http://vllm:8000/v1/models?limit=1", target("openai-compatible", "http://vllm:8000/v1/",
                "./models?limit=1", List.of()).url());
    }

    @Test
    void aStoredPathNamingAnotherHostFailsEveryProbeWithoutSending() {
        ProbeTarget target = target("openai-compatible", "http://vllm:8000/v1", "//collector.example.net/x",
                List.of());
        assertEquals("http://vllm:8000/v1", target.url(), "never the other host");
        assertTrue(target.problem().startsWith("health_check.endpoint must not start with '//'"), target.problem());
    }

    @Test
    void onlyAnthropicGetsAVersionHeader() {
        assertEquals(Map.of("anthropic-version", "2023-06-01"),
                target("anthropic", "https://api.anthropic.com", null, List.of()).headers());
        assertEquals(Map.of(), target("tgi", "http://tgi", null, List.of()).headers());
    }

    @Test
    void healthyMeans2xxUnlessStatusesAreListed() {
        ProbeTarget any2xx = target("tgi", "http://tgi", null, List.of());
        assertTrue(any2xx.healthy(200) && any2xx.healthy(204));
        assertFalse(any2xx.healthy(301) || any2xx.healthy(404) || any2xx.healthy(503));
        ProbeTarget listed = target("tgi", "http://tgi", null, List.of(200, 401));
        assertTrue(listed.healthy(401));
        assertFalse(listed.healthy(204));
    }

    @Test
    void customWithoutAPathCountsAnyAnswerBelow500AsReachable() {
        ProbeTarget custom = target("custom", "https://models.example.com", null, List.of());
        assertTrue(custom.healthy(404) && custom.healthy(405) && custom.healthy(401) && custom.healthy(200));
        assertFalse(custom.healthy(500) || custom.healthy(503));
        assertEquals("any HTTP answer below 500", custom.healthyWhen());
        assertFalse(target("custom", "https://models.example.com", "/health", List.of()).healthy(404),
                "with a probe path, only 2xx");
    }

    @Test
    void reasonsNameThePathOnly() {
        assertEquals("GET /v1/models", target("openai-compatible", "https://api.example.com/v1", null, List.of())
                .describe());
        assertEquals("GET /ping", target("custom", "https://h.example.com", "/ping?key=abc", List.of()).describe());
    }

    @Test
    void theEndpointIdIsTheKey() {
        assertEquals("p/e", target("tgi", "http://tgi", null, List.of()).key());
        ProbeTarget unnamed = ProbeTarget.of(provider("tgi", null, List.of()),
                new EndpointConfig(null, "http://TGI.internal:8080", 1));
        assertEquals("p/tgi.internal:8080", unnamed.key());
    }
}
