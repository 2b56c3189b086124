package io.visca.gateway.registry.dashboard.form;

import java.math.BigDecimal;
import java.math.RoundingMode;

import io.visca.gateway.registry.policy.mapping.BudgetView;

/**
 * A budget as the keys and teams pages draw it: a bar of what was spent and what requests in flight reserve, out of
 * the period's maximum, with the amounts in words; without the amounts when billing could not be read.
 *
 * @param spentPercent the spent part of the bar (0..100, one decimal)
 * @param reservedPercent the reserved part, after the spent one (spent + reserved never beyond 100)
 */
public record BudgetBar(BudgetView budget, BigDecimal spentPercent, BigDecimal reservedPercent) {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** The bar of a budget; null without one. */
    public static BudgetBar of(BudgetView budget) {
        if (budget == null) {
            return null;
        }
        if (budget.spendUnavailable() || budget.maxUsd() == null || budget.maxUsd().signum() <= 0) {
            return new BudgetBar(budget, BigDecimal.ZERO, BigDecimal.ZERO);
        }
        BigDecimal spent = percent(budget.spendUsd(), budget.maxUsd()).min(HUNDRED);
        BigDecimal reserved = percent(budget.reservedUsd(), budget.maxUsd()).min(HUNDRED.subtract(spent));
        return new BudgetBar(budget, spent, reserved);
    }

    /** Whether the budget is used up (nothing remains). */
    public boolean exhausted() {
        return !budget.spendUnavailable() && budget.remainingUsd() != null && budget.remainingUsd().signum() == 0;
    }

    /** The period in words: today, this week, this month, in total. */
    public String periodLabel() {
        return switch (budget.period()) {
            case "day" -> "today (UTC)";
            case "week" -> "this week (UTC, from Monday)";
            case "month" -> "this month (UTC)";
            default -> "in total";
        };
    }

    public String max() {
        return usd(budget.maxUsd());
    }

    public String spent() {
        return usd(budget.spendUsd());
    }

    public String reserved() {
        return usd(budget.reservedUsd());
    }

    public String remaining() {
        return usd(budget.remainingUsd());
    }

    /** An amount in USD as the page shows it: every digit billing gave, no trailing zeros. */
    static String usd(BigDecimal amount) {
        return amount == null ? "" : "$" + amount.stripTrailingZeros().toPlainString();
    }

    private static BigDecimal percent(BigDecimal part, BigDecimal max) {
        return part == null ? BigDecimal.ZERO
                : part.multiply(HUNDRED).divide(max, 1, RoundingMode.HALF_UP).max(BigDecimal.ZERO);
    }
}
