package io.visca.gateway.registry.dashboard.client;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateData;

/**
 * Billing's reconciliation ({@code GET /api/usage/reconciliation}) as the monitoring page shows it: per provider and
 * model, the configured cost (price × tokens) against the cost the provider reported, with the difference judged
 * against a tolerance so the page can highlight it. Only requests with a reported cost can be compared
 * ({@code difference = reported_cost - configured_cost_where_reported}); a row without any is {@code unreported}.
 * Fields named {@code unpriced_*} (usage of models without prices) are shown as billing sends them, when present.
 */
public final class Reconciliation {

    /** Over: the provider charged more than the configured prices say; under: less; match: within the tolerance. */
    public static final String OVER = "over";
    public static final String UNDER = "under";
    public static final String MATCH = "match";
    public static final String UNREPORTED = "unreported";

    private Reconciliation() {
    }

    /** One row (or the totals) of the reconciliation. */
    @TemplateData
    public record Row(String provider, String model, long requests, long requestsWithReportedCost,
            long requestsWithoutConfiguredCost, String configuredCost, String configuredCostWhereReported,
            String reportedCost, String difference, String differencePercent, String level, List<String> unpriced) {

        public boolean hasUnpriced() {
            return !unpriced.isEmpty();
        }
    }

    /** The reconciliation's bounds, which billing wants on the hour: the whole hours that cover {@code [from, to)}. */
    public static Instant[] hours(Instant from, Instant to) {
        Instant start = from.truncatedTo(ChronoUnit.HOURS);
        Instant end = to.truncatedTo(ChronoUnit.HOURS);
        if (end.isBefore(to)) {
            end = end.plus(Duration.ofHours(1));
        }
        return new Instant[] { start, end };
    }

    /** The rows of billing's answer, largest absolute difference first. */
    public static List<Row> rows(JsonNode body, BigDecimal tolerance) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode row : body.path("rows")) {
            rows.add(row(row, tolerance));
        }
        rows.sort((a, b) -> new BigDecimal(b.difference()).abs().compareTo(new BigDecimal(a.difference()).abs()));
        return rows;
    }

    /** The totals of billing's answer, or null when it has none. */
    public static Row totals(JsonNode body, BigDecimal tolerance) {
        JsonNode totals = body.path("totals");
        return totals.isObject() ? row(totals, tolerance) : null;
    }

    static Row row(JsonNode row, BigDecimal tolerance) {
        BigDecimal whereReported = DashboardBackends.decimal(row.path("configured_cost_where_reported"));
        BigDecimal difference = DashboardBackends.decimal(row.path("difference"));
        long reported = row.path("requests_with_reported_cost").asLong();
        String level;
        String percent = "";
        if (reported == 0) {
            level = UNREPORTED;
        } else if (whereReported.signum() == 0) {
            level = difference.signum() == 0 ? MATCH : difference.signum() > 0 ? OVER : UNDER;
        } else {
            BigDecimal ratio = difference.divide(whereReported, 6, RoundingMode.HALF_UP);
            percent = (ratio.signum() > 0 ? "+" : "") + ratio.movePointRight(2).setScale(1, RoundingMode.HALF_UP)
                    .toPlainString() + "%";
            level = ratio.abs().compareTo(tolerance) <= 0 ? MATCH : ratio.signum() > 0 ? OVER : UNDER;
        }
        return new Row(text(row.path("provider")), text(row.path("model")), row.path("requests").asLong(), reported,
                row.path("requests_without_configured_cost").asLong(), money(row.path("configured_cost")),
                money(row.path("configured_cost_where_reported")), money(row.path("reported_cost")),
                DashboardBackends.decimal(row.path("difference")).toPlainString(), percent, level, unpriced(row));
    }

    /** {@code name: value} of each {@code unpriced_*} field that says something (not 0, false, null or empty). */
    static List<String> unpriced(JsonNode row) {
        List<String> found = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (!field.getKey().startsWith("unpriced_") || value.isNull() || value.isContainerNode() && value.isEmpty()
                    || value.isBoolean() && !value.asBoolean() || value.isNumber() && value.decimalValue().signum() == 0
                    || value.isTextual() && value.asText().isBlank()) {
                continue;
            }
            found.add(field.getKey().substring("unpriced_".length()).replace('_', ' ') + ": "
                    + (value.isValueNode() ? value.asText() : value.toString()));
        }
        return found;
    }

    private static String money(JsonNode node) {
        return "$" + DashboardBackends.decimal(node).toPlainString();
    }

    private static String text(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? "—" : node.asText();
    }
}
