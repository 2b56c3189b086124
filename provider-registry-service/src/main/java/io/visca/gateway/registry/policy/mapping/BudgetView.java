package io.visca.gateway.registry.policy.mapping;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A key's or team's budget in its current period, as {@code GET /api/keys/{id}} and {@code GET /api/teams/{name}}
 * show it. Spend and reservations come from billing's quota store; when it cannot be read, they are null and
 * {@code spendUnavailable} is true (the rest of the answer is unaffected).
 *
 * @param period {@code day}, {@code week}, {@code month} or {@code total}
 * @param periodStart the start of the current period (UTC, {@code BudgetPeriod.start})
 * @param spendUsd what the ledger billed in the period
 * @param reservedUsd what requests in flight (routers' leases) hold beyond that
 * @param remainingUsd {@code maxUsd - spendUsd - reservedUsd}, never below 0
 */
public record BudgetView(String period, Instant periodStart, BigDecimal maxUsd, BigDecimal spendUsd,
        BigDecimal reservedUsd, BigDecimal remainingUsd, boolean spendUnavailable) {

    public static BudgetView of(String period, Instant periodStart, BigDecimal maxUsd, BigDecimal spendUsd,
            BigDecimal reservedUsd) {
        BigDecimal remaining = maxUsd.subtract(spendUsd).subtract(reservedUsd).max(BigDecimal.ZERO);
        return new BudgetView(period, periodStart, maxUsd, PolicyFields.normalized(spendUsd),
                PolicyFields.normalized(reservedUsd), PolicyFields.normalized(remaining), false);
    }

    /** The budget without its spend: the quota store did not answer. */
    public static BudgetView unavailable(String period, Instant periodStart, BigDecimal maxUsd) {
        return new BudgetView(period, periodStart, maxUsd, null, null, null, true);
    }
}
