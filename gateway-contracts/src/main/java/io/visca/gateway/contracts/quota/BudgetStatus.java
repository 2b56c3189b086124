package io.visca.gateway.contracts.quota;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A budget's state in one period as the quota store knows it ({@code GET /internal/quota/budgets}): what the ledger
 * has billed, and what leases hold for requests in flight or about to be.
 *
 * @param scope {@code key:<id>} or {@code team:<name>}
 * @param spentUsd the billed cost of the scope's requests in the period (settled from {@code usage-recorded})
 * @param reservedUsd what leases still hold beyond that (the remaining is the limit minus both)
 */
public record BudgetStatus(String scope, Instant windowStart, BigDecimal spentUsd, BigDecimal reservedUsd) {
}
