package io.visca.gateway.contracts.provider;

import java.math.BigDecimal;

/**
 * What a client key or a team may spend and how fast; every part is optional (null = no limit of that kind).
 *
 * @param maxBudgetUsd the most the key (or all keys of the team together) may cost in one {@code budgetPeriod}
 * @param budgetPeriod {@code day}, {@code week}, {@code month} or {@code total} (see {@link BudgetPeriod}); set
 *        together with {@code maxBudgetUsd}
 * @param requestsPerMinute requests per UTC minute
 * @param tokensPerMinute prompt and completion tokens per UTC minute
 */
public record KeyLimits(BigDecimal maxBudgetUsd, String budgetPeriod, Integer requestsPerMinute,
        Integer tokensPerMinute) {

    public static final KeyLimits NONE = new KeyLimits(null, null, null, null);

    /** Whether any limit is set: a key without limits is admitted without asking the quota store. */
    public boolean any() {
        return maxBudgetUsd != null || requestsPerMinute != null || tokensPerMinute != null;
    }
}
