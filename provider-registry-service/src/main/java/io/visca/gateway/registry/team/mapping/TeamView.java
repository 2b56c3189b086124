package io.visca.gateway.registry.team.mapping;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.visca.gateway.registry.policy.mapping.BudgetView;

/**
 * A team as the admin API shows it: limits counted across all its keys.
 *
 * @param metadata free-form strings ({@code {}} when none)
 * @param budget the current period's spend against the budget (one team's GET only; absent without a budget)
 */
public record TeamView(String name, BigDecimal maxBudgetUsd, String budgetPeriod, Integer requestsPerMinute,
        Integer tokensPerMinute, Map<String, String> metadata, Instant createdAt, Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) BudgetView budget) {

    public TeamView withBudget(BudgetView view) {
        return new TeamView(name, maxBudgetUsd, budgetPeriod, requestsPerMinute, tokensPerMinute, metadata,
                createdAt, updatedAt, view);
    }
}
