package io.visca.gateway.registry.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.registry.dashboard.client.MonitoringData;

/**
 * The monitoring page's reading of billing's {@code /api/usage/timeseries} and the health monitor's
 * {@code /api/health/transitions}, both being built on branch dash-apis: fakes of their documented shape.
 */
class MonitoringDataTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void turnsTimeSeriesBucketsIntoChartColumnsWithGapsForMissingValues() throws Exception {
        JsonNode body = JSON.readTree("""
                {"from": "2026-11-26T05:00:00Z", "to": "2026-11-26T06:00:00Z", "bucket": "minute", "rows": [
                 {"start": "2026-11-26T05:00:00Z", "requests": 10, "errors": 1, "error_rate": 0.1,
                  "latency_ms_p50": 120, "latency_ms_p95": 480, "ttft_ms_p50": 40, "ttft_ms_p95": 90,
                  "prompt_tokens": 1000, "completion_tokens": 200, "total_cost": "0.0125"},
                 {"start": "2026-11-26T05:01:00Z", "requests": 0, "errors": 0, "error_rate": 0,
                  "latency_ms_p50": null, "latency_ms_p95": null, "ttft_ms_p50": null, "ttft_ms_p95": null,
                  "prompt_tokens": 0, "completion_tokens": 0, "total_cost": "0.00"}]}
                """);
        ObjectNode columns = MonitoringData.chartColumns(body);
        long start = java.time.Instant.parse("2026-11-26T05:00:00Z").getEpochSecond();
        assertEquals(List.of(start, start + 60), longs(columns.get("t")));
        assertEquals("[10.0,0.0]", columns.get("requests").toString());
        assertEquals("[120.0,null]", columns.get("latency_ms_p50").toString());
        assertEquals("[0.0125,0.0]", columns.get("total_cost").toString());
        assertEquals("[0.1,0.0]", columns.get("error_rate").toString());
    }

    @Test
    void acceptsATopLevelArrayAndSkipsBucketsWithoutAStart() throws Exception {
        ObjectNode columns = MonitoringData.chartColumns(JSON.readTree(
                "[{\"bucket_start\": \"2026-11-26T05:00:00Z\", \"requests\": 3}, {\"requests\": 9}]"));
        assertEquals(1, columns.get("t").size());
        assertEquals("[3.0]", columns.get("requests").toString());
        assertEquals(0, MonitoringData.chartColumns(JSON.readTree("{\"error\": {}}")).get("t").size());
    }

    @Test
    void readsTransitionsNewestFirstAsSent() throws Exception {
        List<MonitoringData.Transition> transitions = MonitoringData.transitions(JSON.readTree("""
                {"transitions": [
                 {"at": "2026-11-26T05:10:00Z", "provider": "vllm", "endpoint": "gpu-1", "from": "DOWN", "to": "UP",
                  "reason": null},
                 {"at": "2026-11-26T05:00:00Z", "provider": "vllm", "endpoint": "gpu-1", "from": "UP", "to": "DOWN",
                  "reason": "refused"}]}
                """));
        assertEquals(2, transitions.size());
        assertEquals(new MonitoringData.Transition("2026-11-26T05:10:00Z", "vllm", "gpu-1", "DOWN", "UP", ""),
                transitions.get(0));
        assertEquals("refused", transitions.get(1).reason());
        assertTrue(MonitoringData.transitions(JSON.readTree("[]")).isEmpty());
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> values = new java.util.ArrayList<>();
        array.forEach(v -> values.add(v.asLong()));
        return values;
    }
}
