package io.visca.gateway.system;

import static io.visca.gateway.system.SystemHttp.json;
import static io.visca.gateway.system.SystemHttp.pause;
import static io.visca.gateway.system.SystemHttp.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.fakes.FakeOpenAiServer;

/**
 * The product page's vLLM setup with its health check, verbatim: {@code base_url} ending in {@code /v1} and
 * {@code "health_check": {"endpoint": "/health", ...}}, against an upstream that, like vLLM, serves {@code /health}
 * only at its root. The monitor must find it UP (the operator reads that with the admin token) and the router serve
 * it. A health check that is wrong (every endpoint DOWN although the server serves) must not take the provider
 * down: the router fails open and says so.
 */
class ProductPageHealthCheckTests {

    /** The page's "Configuration" example, with its "Health Checks" block; only the host is the fake's. */
    private static final String PAGE_VLLM = """
            {
              "name": "my-vllm-server",
              "type": "openai-compatible",
              "base_url": "%s",
              "api_key": "your-api-key",
              "models": [
                {
                  "id": "llama-3-70b",
                  "name": "Llama 3 70B",
                  "context_window": 8192,
                  "cost_per_1k_input": 0.0001,
                  "cost_per_1k_output": 0.0002
                }
              ],
              "health_check": {
                "enabled": true,
                "endpoint": "/health",
                "interval_seconds": 60,
                "timeout_seconds": 5,
                "failure_threshold": 3
              }
            }
            """;

    private static FakeOpenAiServer vllm;
    private static FakeOpenAiServer misprobed;
    private static GatewayStack stack;
    private static String clientKey;

    @BeforeAll
    static void startGateway() {
        vllm = FakeOpenAiServer.start().models("llama-3-70b");
        misprobed = FakeOpenAiServer.start().models("llama-3-8b");
        stack = new GatewayStack("admin-" + UUID.randomUUID(), "service-" + UUID.randomUUID(), Map.of());
        clientKey = stack.admin.createKey("product-page")[1];
    }

    @AfterAll
    static void stopGateway() {
        if (stack != null) {
            stack.close();
        }
        if (vllm != null) {
            vllm.close();
        }
        if (misprobed != null) {
            misprobed.close();
        }
    }

    @Test
    void thePagesVllmHealthCheckFindsTheServerUpAndItServes() {
        assertEquals(404, get(vllm.baseUrl() + "/health").statusCode(), "the fake, like vLLM, has no /v1/health");
        stack.admin.putProvider(PAGE_VLLM.formatted(vllm.baseUrl()));

        JsonNode endpoint = awaitEndpoint("my-vllm-server", "UP");
        assertEquals("GET /health", endpoint.path("probe").asText(), endpoint.toString());

        HttpResponse<String> chat = awaitChat("llama-3-70b", answer -> answer.statusCode() != 404);
        assertEquals(200, chat.statusCode(), chat.body());
        assertTrue(chat.headers().firstValue("x-visca-health").isEmpty(), "served normally: " + chat.headers());
    }

    @Test
    void aHealthCheckThatFailsEveryEndpointDoesNotTakeTheProviderDown() {
        stack.admin.putProvider("""
                {"name": "misprobed-vllm", "type": "openai-compatible", "base_url": "%s", "api_key": "your-api-key",
                 "models": [{"id": "llama-3-8b", "context_window": 8192}],
                 "health_check": {"enabled": true, "endpoint": "/no-such-health-path", "interval_seconds": 1,
                                  "timeout_seconds": 1, "failure_threshold": 1}}
                """.formatted(misprobed.baseUrl()));
        awaitEndpoint("misprobed-vllm", "DOWN");

        // the router learns the monitor's verdict from provider-health-changed, a moment later
        HttpResponse<String> chat = awaitChat("llama-3-8b",
                answer -> answer.statusCode() != 200 || answer.headers().firstValue("x-visca-health").isPresent());
        assertEquals(200, chat.statusCode(), chat.body());
        assertEquals("fail-open", chat.headers().firstValue("x-visca-health").orElse(null),
                "served with every endpoint DOWN, and marked");
        assertTrue(json(chat.body()).path("choices").size() > 0, chat.body());
    }

    /** The endpoint's entry in the health monitor's API, read with the admin token, once it has this status. */
    private static JsonNode awaitEndpoint(String provider, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(stack.healthMonitor.url()
                    + "/api/health/" + provider)).header("Authorization", "Bearer " + stack.adminToken));
            if (health.statusCode() == 200) {
                last = json(health.body());
                JsonNode endpoint = last.path("endpoints").path(0);
                if (status.equals(endpoint.path("status").asText())) {
                    return endpoint;
                }
            }
            pause(250);
        }
        throw new AssertionError(provider + " never became " + status + ": " + last);
    }

    /** A chat for the model, sent until its answer passes {@code done} (the router learns changes by events). */
    private static HttpResponse<String> awaitChat(String model, Predicate<HttpResponse<String>> done) {
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> last;
        do {
            last = send(HttpRequest.newBuilder(URI.create(stack.router.url() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + clientKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            if (done.test(last)) {
                return last;
            }
        } while (System.nanoTime() < deadline && pause(250));
        return last;
    }

    private static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)));
    }
}
