package io.visca.gateway.registry.dashboard.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.qute.TemplateData;

/**
 * Turns billing's time series and the health monitor's transitions into what the monitoring page shows: column
 * arrays for the uPlot charts (x = bucket start in epoch seconds) and timeline rows.
 */
public final class MonitoringData {

    /** The series the charts draw, in the order of the columns. */
    static final List<String> SERIES = List.of("requests", "errors", "error_rate", "latency_ms_p50",
            "latency_ms_p95", "ttft_ms_p50", "ttft_ms_p95", "prompt_tokens", "completion_tokens", "total_cost");

    private MonitoringData() {
    }

    /** One health transition of an endpoint. */
    @TemplateData
    public record Transition(String at, String provider, String endpoint, String from, String to, String reason) {
    }

    /**
     * Chart columns from {@code GET /api/usage/timeseries}: {@code {"t": [...], "requests": [...], ...}}; a bucket
     * without a value gives null (a gap in the chart). Accepts the rows as a top-level array or under
     * {@code rows}/{@code buckets}/{@code points}, the bucket start as {@code start}, {@code bucket_start} or
     * {@code bucket}.
     */
    public static ObjectNode chartColumns(JsonNode body) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode columns = nodes.objectNode();
        ArrayNode t = columns.putArray("t");
        List<ArrayNode> series = new ArrayList<>();
        SERIES.forEach(name -> series.add(columns.putArray(name)));
        for (JsonNode row : rows(body, "rows", "buckets", "points", "series")) {
            Long start = epochSeconds(first(row, "start", "bucket_start", "bucket", "at"));
            if (start == null) {
                continue;
            }
            t.add(start);
            for (int i = 0; i < SERIES.size(); i++) {
                JsonNode value = row.get(SERIES.get(i));
                BigDecimal number = number(value);
                if (number == null) {
                    series.get(i).addNull();
                } else {
                    series.get(i).add(number.doubleValue()); // only drawn; totals come from exact decimals
                }
            }
        }
        return columns;
    }

    /** Transitions from {@code GET /api/health/transitions}, newest first as the monitor sends them. */
    public static List<Transition> transitions(JsonNode body) {
        List<Transition> list = new ArrayList<>();
        for (JsonNode row : rows(body, "transitions", "rows", "items")) {
            list.add(new Transition(text(row.get("at")), text(row.get("provider")), text(row.get("endpoint")),
                    text(row.get("from")), text(row.get("to")), text(row.get("reason"))));
        }
        return list;
    }

    static Iterable<JsonNode> rows(JsonNode body, String... fields) {
        if (body == null) {
            return List.of();
        }
        if (body.isArray()) {
            return body;
        }
        for (String field : fields) {
            if (body.path(field).isArray()) {
                return body.get(field);
            }
        }
        return List.of();
    }

    private static JsonNode first(JsonNode row, String... fields) {
        for (String field : fields) {
            if (row.hasNonNull(field)) {
                return row.get(field);
            }
        }
        return null;
    }

    private static Long epochSeconds(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isNumber()) {
            return value.asLong();
        }
        try {
            return Instant.parse(value.asText()).getEpochSecond();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static BigDecimal number(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? "" : value.asText();
    }
}
