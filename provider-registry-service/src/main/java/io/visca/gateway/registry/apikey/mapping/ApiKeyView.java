package io.visca.gateway.registry.apikey.mapping;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.visca.gateway.registry.policy.mapping.BudgetView;

/**
 * An active key as the admin API shows it: never the key, nor its hash.
 *
 * @param keyPrefix the first 8 characters of the key ({@code vsk_} and 4 more)
 * @param models the model ids it may use; null: every model
 * @param expired whether {@code expiresAt} has passed (the router answers {@code key_expired})
 * @param metadata free-form strings ({@code {}} when none)
 * @param previousValidUntil after a rotation with a grace, until when the replaced key still works; null when it
 *        no longer does
 * @param budget the current period's spend against the budget (one key's GET only; absent without a budget)
 */
public record ApiKeyView(String id, String name, String keyPrefix, Instant createdAt, String team,
        List<String> models, Instant expiresAt, boolean expired, BigDecimal maxBudgetUsd, String budgetPeriod,
        Integer requestsPerMinute, Integer tokensPerMinute, Map<String, String> metadata, Instant previousValidUntil,
        @JsonInclude(JsonInclude.Include.NON_NULL) BudgetView budget) {

    public ApiKeyView withBudget(BudgetView view) {
        return new ApiKeyView(id, name, keyPrefix, createdAt, team, models, expiresAt, expired, maxBudgetUsd,
                budgetPeriod, requestsPerMinute, tokensPerMinute, metadata, previousValidUntil, view);
    }
}
