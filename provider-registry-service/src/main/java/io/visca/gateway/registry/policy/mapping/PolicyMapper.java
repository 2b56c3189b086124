package io.visca.gateway.registry.policy.mapping;

import java.util.Map;

import io.visca.gateway.contracts.provider.KeyLimits;
import io.visca.gateway.registry.policy.repository.PolicyColumns;

/** Reads the stored {@link PolicyColumns} of a key or team (null when it has no policy at all). */
public final class PolicyMapper {

    private PolicyMapper() {
    }

    /** The limits, the budget without trailing zeros. */
    public static KeyLimits limits(PolicyColumns columns) {
        PolicyColumns stored = PolicyColumns.orEmpty(columns);
        return new KeyLimits(PolicyFields.normalized(stored.maxBudgetUsd), stored.budgetPeriod,
                stored.requestsPerMinute, stored.tokensPerMinute);
    }

    /** The metadata, empty when none. */
    public static Map<String, String> metadata(PolicyColumns columns) {
        return columns == null ? Map.of() : JsonColumns.map(columns.metadata);
    }
}
