package io.visca.gateway.billing.finance.mapping;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/usage/summary}: totals over [from, to) grouped as asked; one row (the grand total) without
 * {@code group_by}. Rows are ordered by the grouped values, in {@code group_by} order.
 */
public record UsageSummary(Instant from, Instant to, List<String> groupBy, String currency, List<SummaryRow> rows) {
}
