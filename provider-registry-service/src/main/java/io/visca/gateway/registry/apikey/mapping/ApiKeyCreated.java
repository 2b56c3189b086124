package io.visca.gateway.registry.apikey.mapping;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answer to a key creation: the only time the key is shown, with the policy it was created with.
 *
 * @param key {@code vsk_} and 32 random bytes in base64url; store it now, the registry keeps only its hash
 */
public record ApiKeyCreated(String id, String name, String key, String keyPrefix, Instant createdAt, String team,
        List<String> models, Instant expiresAt, BigDecimal maxBudgetUsd, String budgetPeriod,
        Integer requestsPerMinute, Integer tokensPerMinute, Map<String, String> metadata) {

    public static ApiKeyCreated of(String key, ApiKeyView view) {
        return new ApiKeyCreated(view.id(), view.name(), key, view.keyPrefix(), view.createdAt(), view.team(),
                view.models(), view.expiresAt(), view.maxBudgetUsd(), view.budgetPeriod(), view.requestsPerMinute(),
                view.tokensPerMinute(), view.metadata());
    }

    @Override
    public String toString() {
        return "ApiKeyCreated[id=" + id + ", name=" + name + ", keyPrefix=" + keyPrefix + ", key=<masked>]";
    }
}
