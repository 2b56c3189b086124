package io.visca.gateway.billing.finance.mapping;

import java.time.Instant;
import java.util.List;

/** {@code GET /api/usage/reconciliation}: one row per provider and model over [from, to), and their totals. */
public record Reconciliation(Instant from, Instant to, String currency, List<ReconciliationRow> rows,
        ReconciliationRow totals) {
}
