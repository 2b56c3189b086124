package io.visca.gateway.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.visca.gateway.contracts.provider.HealthCheckConfig;
import io.visca.gateway.providers.anthropic.AnthropicType;

/**
 * {@link HealthCheckUrls}: a health check path resolves against the base URL as a browser resolves a link, with the
 * base URL taken as a directory; it never leaves the endpoint's origin. And {@link HealthProbe}: each type's default
 * probes the URL it probed before the rule existed.
 */
class HealthCheckUrlsTests {

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            // the product page's vLLM example: /health is served at the server's root
            "https://my-vllm.example.com/v1 | /health | https://my-vllm.example.com/health",
            "http://h:8000/v1 | /health | http://h:8000/health",
            "http://h:8000/v1/ | /health | http://h:8000/health",
            "http://h:8000 | /health | http://h:8000/health",
            "http://h:8000/a/b/v1 | /health | http://h:8000/health",
            // relative: under the base URL, taken as a directory with or without its trailing slash
            "http://h:8000/v1 | models | http://h:8000/v1/models",
            "http://h:8000/v1/ | models | http://h:8000/v1/models",
            "http://h:8000/v1// | models | http://h:8000/v1//models",
            "http://h:8000 | models | http://h:8000/models",
            "http://h:8000/ | models | http://h:8000/models",
            "http://h:8000/v1 | ./health | http://h:8000/v1/health",
            "http://h:8000/v1 | health/ | http://h:8000/v1/health/",
            "http://h:8000/v1 | ./ | http://h:8000/v1/",
            "http://h:8000/v1 | . | http://h:8000/v1/",
            "http://h:8000 | ./ | http://h:8000/",
            // dot segments, never above the root
            "http://h:8000/v1 | ../health | http://h:8000/health",
            "http://h:8000/a/v1 | ../health | http://h:8000/a/health",
            "http://h:8000/v1 | ../../../health | http://h:8000/health",
            "http://h:8000/v1 | /../../health | http://h:8000/health",
            "http://h:8000/v1 | /a/./b/../c | http://h:8000/a/c",
            "http://h:8000/v1 | .. | http://h:8000/",
            "http://h:8000/v1 | /a/.. | http://h:8000/",
            "http://h:8000/v1 | a//../b | http://h:8000/v1/a/b",
            // queries are kept as written; the dot rule does not touch them
            "http://h:8000/v1 | /health?ready=1&x=../y | http://h:8000/health?ready=1&x=../y",
            "http://h:8000/v1 | models?limit=1 | http://h:8000/v1/models?limit=1",
            "http://h:8000/v1 | ?probe=1 | http://h:8000/v1/?probe=1",
            // userinfo-looking and colon-bearing paths stay paths on the same host
            "https://api.example.com/v1 | ./evil.com:80/x | https://api.example.com/v1/evil.com:80/x",
            "https://api.example.com/v1 | /@evil.com/x | https://api.example.com/@evil.com/x",
            "https://API.example.com:8443/v1 | /%2e%2e/x | https://API.example.com:8443/%2e%2e/x" })
    void resolvesAsABrowserWouldWithTheBaseAsADirectory(String base, String endpoint, String url) {
        assertEquals(url, HealthCheckUrls.resolve(base, endpoint));
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://other.example.com/health", "http://127.0.0.1/x", "HTTP://h/x", "//other/health",
            "///x", "javascript:alert(1)", "file:/etc/passwd", "mailto:a@b", "health#frag", "/health#",
            "/a b", "/a\tb", "/a\\b", "\\\\other\\x", "" })
    void refusesWhatIsNotAPathOnTheEndpointsOwnHost(String endpoint) {
        assertNotNull(HealthCheckUrls.problem(endpoint), endpoint);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HealthCheckUrls.resolve("https://api.example.com/v1", endpoint));
        assertTrue(refused.getMessage().startsWith("health_check.endpoint "), refused.getMessage());
    }

    @Test
    void refusalsSayWhy() {
        assertTrue(HealthCheckUrls.problem("https://other.example.com/health").startsWith("must be a path, not a URL"));
        assertTrue(HealthCheckUrls.problem("//other/health").contains("names another host"));
        assertTrue(HealthCheckUrls.problem("/a|b").startsWith("is not a valid path (Illegal character"));
        assertTrue(HealthCheckUrls.problem("/" + "a".repeat(HealthCheckUrls.MAX_LENGTH)).contains("at most 2048"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/health", "health", "./health", "../health", "/", ".", "models?limit=1",
            "./with:colon", "/v1/models/a%20b", "/~user/health" })
    void acceptsPaths(String endpoint) {
        assertNull(HealthCheckUrls.problem(endpoint), endpoint);
    }

    @Test
    void everyResolvedUrlKeepsTheBaseUrlsOrigin() {
        String[] hostile = { "/..", "../../..", "/../../../../etc", "/@evil.com", "./evil.com/", "/.well-known",
                "..//evil.com/x", "/.//evil.com", "..%2f..%2fevil.com" };
        for (String endpoint : hostile) {
            String url = HealthCheckUrls.resolve("https://api.example.com:8443/v1", endpoint);
            assertTrue(url.startsWith("https://api.example.com:8443/"), endpoint + " -> " + url);
            assertEquals("api.example.com", java.net.URI.create(url).getHost(), endpoint + " -> " + url);
        }
    }

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({ "openai-compatible, https://api.openai.com/v1, https://api.openai.com/v1/models",
            "openai-compatible, https://api.example.com/v1/, https://api.example.com/v1/models",
            "openai-compatible, https://proxy.example.com/team/v1, https://proxy.example.com/team/v1/models",
            "anthropic, https://api.anthropic.com, https://api.anthropic.com/v1/models",
            "tgi, http://tgi:8080, http://tgi:8080/health",
            "tgi, https://proxy.example.com/tgi, https://proxy.example.com/tgi/health",
            "ollama, http://ollama:11434, http://ollama:11434/",
            "replicate, https://api.replicate.com/v1, https://api.replicate.com/v1/account",
            "custom, https://models.example.com/api, https://models.example.com/api",
            "custom, https://models.example.com/api/, https://models.example.com/api" })
    void eachTypesDefaultProbesWhatItProbedBefore(String type, String base, String url) {
        assertEquals(url, HealthProbe.of(type, base, HealthCheckConfig.defaults()).url());
    }

    @Test
    void aConfiguredPathReplacesTheDefaultAndIsJudgedBy2xx() {
        HealthProbe probe = HealthProbe.of("openai-compatible", "http://h:8000/v1",
                new HealthCheckConfig(true, "/health", 60, 5, 3, 1, List.of()));
        assertEquals("http://h:8000/health", probe.url());
        assertEquals("GET /health", probe.describe());
        assertEquals("HTTP 2xx", probe.healthyWhen());
        HealthProbe custom = HealthProbe.of("custom", "http://h/api", HealthCheckConfig.defaults());
        assertEquals("any HTTP answer below 500", custom.healthyWhen());
        assertTrue(custom.healthy(404));
        assertEquals(Map.of("anthropic-version", AnthropicType.VERSION),
                HealthProbe.of("anthropic", "https://api.anthropic.com", null).headers());
    }

    @Test
    void aStoredUrlIsRefusedWhenTheProbeIsMade() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HealthProbe.of("openai-compatible", "http://h:8000/v1",
                        new HealthCheckConfig(true, "//collector.example.net/steal", 60, 5, 3, 1, List.of())));
        assertTrue(refused.getMessage().contains("names another host"), refused.getMessage());
    }
}
