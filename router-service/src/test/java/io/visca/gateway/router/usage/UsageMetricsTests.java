package io.visca.gateway.router.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.router.testing.FinishedRequests;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;

/** After a few requests /q/metrics says what they were, to the token and the cent, by provider and model. */
@QuarkusTest
class UsageMetricsTests {

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static FakeOpenAiServer upstream;
    private static FakeOpenAiServer failing;

    @BeforeAll
    static void providers() {
        upstream = FakeOpenAiServer.start().models("gpt-4o-mini").reply("Foxes are members of the dog family.");
        failing = FakeOpenAiServer.start().models("gpt-4o-mini").failWith(500, "{\"error\":{\"message\":\"boom\"}}");
        RegistryAdmin.putProvider("""
                {"name": "metrics-openai", "type": "openai-compatible", "base_url": "%s", "api_key": "sk-test",
                 "models": [{"id": "metrics-chat", "upstream_model": "gpt-4o-mini", "context_window": 128000,
                             "cost_per_1k_input": 0.15, "cost_per_1k_output": 0.6}]}""".formatted(upstream.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "metrics-failing", "type": "openai-compatible", "base_url": "%s", "api_key": "sk-test",
                 "retry": {"max_retries": 0},
                 "models": [{"id": "metrics-failing-chat", "upstream_model": "gpt-4o-mini", "context_window": 128000}]}
                """.formatted(failing.baseUrl()));
        RouterApi.awaitModel("metrics-chat");
        RouterApi.awaitModel("metrics-failing-chat");
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider("metrics-openai");
        RegistryAdmin.deleteProvider("metrics-failing");
        upstream.close();
        failing.close();
    }

    @Test
    void requestsTokensCostAndLatenciesAppearByProviderAndModel() {
        List<FinishedRequest> served = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = UsageEventsTests.newId();
            assertEquals(200, UsageEventsTests.chat(id, "metrics-chat", i == 3).statusCode());
            served.add(FinishedRequests.get(id));
        }
        String failedId = UsageEventsTests.newId();
        assertEquals(502, UsageEventsTests.chat(failedId, "metrics-failing-chat", false).statusCode());
        FinishedRequest failed = FinishedRequests.get(failedId);
        String unknownModel = "metrics-unknown-" + UUID.randomUUID();
        assertEquals(404, UsageEventsTests.chat(UsageEventsTests.newId(), unknownModel, false).statusCode());

        Map<String, String> openai = Map.of("provider", "metrics-openai", "model", "metrics-chat", "operation", "chat");
        // the usage thread records in order: once the last request (unknown model) and the failed one are counted, the
        // successes before them are too
        awaitMetrics("visca_gateway_requests_total",
                Map.of("provider", "metrics-failing", "model", "metrics-failing-chat", "status", "error"), 1);
        awaitMetrics("visca_gateway_requests_total", Map.of("provider", "none", "model", "none", "status", "error"), 1);
        String metrics = awaitMetrics("visca_gateway_requests_total", with(openai, "status", "success"), 4);
        assertEquals(1, value(metrics, "visca_gateway_requests_total",
                Map.of("provider", "metrics-failing", "model", "metrics-failing-chat", "status", "error")));
        assertEquals(1, value(metrics, "visca_gateway_errors_total", Map.of("provider", "metrics-failing",
                "error_type", "upstream_error", "error_code", "upstream_http_500")));

        Map<String, String> genAi = Map.of("gen_ai_operation_name", "chat", "gen_ai_provider_name", "metrics-openai",
                "gen_ai_request_model", "metrics-chat", "gen_ai_response_model", "metrics-chat");
        Map<String, String> succeeded = with(genAi, "error_type", "");
        assertEquals(4, value(metrics, "gen_ai_client_operation_duration_seconds_count", succeeded));
        assertClose(sum(served, FinishedRequest::latencyMs) / 1000,
                value(metrics, "gen_ai_client_operation_duration_seconds_sum", succeeded));
        assertEquals(1, value(metrics, "gen_ai_client_operation_duration_seconds_count",
                Map.of("gen_ai_provider_name", "metrics-failing", "error_type", "upstream_http_500")));
        assertClose(failed.latencyMs() / 1000, value(metrics, "gen_ai_client_operation_duration_seconds_sum",
                Map.of("gen_ai_provider_name", "metrics-failing", "error_type", "upstream_http_500")));
        assertTrue(metrics.contains("gen_ai_client_operation_duration_seconds_bucket{"), "a histogram");

        assertEquals(4, value(metrics, "gen_ai_client_token_usage_count", with(genAi, "gen_ai_token_type", "input")));
        assertEquals(sum(served, FinishedRequest::promptTokens),
                value(metrics, "gen_ai_client_token_usage_sum", with(genAi, "gen_ai_token_type", "input")));
        assertEquals(sum(served, FinishedRequest::completionTokens),
                value(metrics, "gen_ai_client_token_usage_sum", with(genAi, "gen_ai_token_type", "output")));
        assertTrue(sum(served, FinishedRequest::completionTokens) > 0);

        long firstTokens = served.stream().filter(r -> r.timeToFirstTokenMs() != null).count();
        assertTrue(firstTokens >= 1, "the stream had a first token");
        assertEquals(firstTokens, value(metrics, "gen_ai_server_time_to_first_token_seconds_count", genAi));
        assertClose(sum(served, r -> Objects.requireNonNullElse(r.timeToFirstTokenMs(), 0.0)) / 1000,
                value(metrics, "gen_ai_server_time_to_first_token_seconds_sum", genAi));

        assertEquals(4, value(metrics, "visca_gateway_overhead_seconds_count", openai));
        assertClose(sum(served, FinishedRequest::gatewayOverheadMs) / 1000,
                value(metrics, "visca_gateway_overhead_seconds_sum", openai));
        assertEquals(4, value(metrics, "visca_gateway_upstream_duration_seconds_count", openai));
        assertClose(sum(served, FinishedRequest::upstreamLatencyMs) / 1000,
                value(metrics, "visca_gateway_upstream_duration_seconds_sum", openai));
        assertClose(sum(served, r -> r.cost().total().doubleValue()),
                value(metrics, "visca_gateway_cost_usd_total", openai));

        assertFalse(metrics.contains(unknownModel), "no label from what the client sent");
        assertTrue(value(metrics, "visca_gateway_requests_total",
                Map.of("provider", "none", "model", "none", "status", "error")) >= 1);
        assertFalse(metrics.contains("http_server_requests"), "the HTTP server is not instrumented");
        assertFalse(Pattern.compile("(?m)^ft_").matcher(metrics).find(), "nor the fault tolerance guards");
    }

    @Test
    void theSpoolReportsItsDepthAndWhatItSentAndDropped() {
        // a request of its own that leaves the other test's series alone: it reaches no provider
        assertEquals(404, UsageEventsTests.chat(UsageEventsTests.newId(), "no-such-model", false).statusCode());
        String metrics = awaitMetrics("visca_gateway_usage_events_sent_total", Map.of(), 1);
        assertNotNull(find(metrics, "visca_gateway_usage_spool_pending_events", Map.of()));
        assertNotNull(find(metrics, "visca_gateway_usage_spool_size_bytes", Map.of()));
        assertEquals(1L << 30, value(metrics, "visca_gateway_usage_spool_limit_bytes", Map.of()));
        assertNotNull(find(metrics, "visca_gateway_usage_publish_failing", Map.of()));
        for (String reason : List.of("queue_full", "spool_full", "disk_error", "unwritable")) {
            assertEquals(0, value(metrics, "visca_gateway_usage_events_dropped_total", Map.of("reason", reason)));
        }
    }

    /** Scrapes until the series reaches {@code atLeast} (metrics are recorded off the request's thread). */
    private static String awaitMetrics(String name, Map<String, String> labels, double atLeast) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String metrics = RouterApi.management().get("/q/metrics").asString();
            Double value = find(metrics, name, labels);
            if (value != null && value >= atLeast) {
                return metrics;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + labels + " is " + value + ", expected " + atLeast);
            }
            RouterApi.sleep(50);
        }
    }

    private static double value(String metrics, String name, Map<String, String> labels) {
        Double value = find(metrics, name, labels);
        assertNotNull(value, "no " + name + labels);
        return value;
    }

    /** The sum of the series called {@code name} whose labels include {@code labels}; null when there is none. */
    private static Double find(String metrics, String name, Map<String, String> labels) {
        Double total = null;
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            int brace = line.indexOf('}');
            Map<String, String> found = new HashMap<>();
            if (line.startsWith(name + "{")) {
                Matcher label = LABEL.matcher(line.substring(name.length(), brace));
                while (label.find()) {
                    found.put(label.group(1), label.group(2));
                }
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                total = total == null ? value : total + value;
            }
        }
        return total;
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> more = new HashMap<>(labels);
        more.put(key, value);
        return more;
    }

    private static double sum(List<FinishedRequest> requests, ToDoubleFunction<FinishedRequest> value) {
        return requests.stream().mapToDouble(value).sum();
    }

    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, Math.max(1e-9, Math.abs(expected) * 1e-6), "expected " + expected);
    }
}
