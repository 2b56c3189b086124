package io.visca.gateway.registry.apikey.mapping;

import java.time.Instant;

import io.visca.gateway.contracts.provider.GatewayKey;
import io.visca.gateway.contracts.provider.KeyLimits;
import io.visca.gateway.registry.apikey.repository.ApiKeyEntity;
import io.visca.gateway.registry.policy.mapping.JsonColumns;
import io.visca.gateway.registry.policy.mapping.PolicyMapper;

/** Between {@link ApiKeyEntity} and the API models; none of them carries the key itself. */
public final class ApiKeyMapper {

    private ApiKeyMapper() {
    }

    /** The key as the admin API shows it at {@code now}, without its budget's spend. */
    public static ApiKeyView toApiModel(ApiKeyEntity entity, Instant now) {
        KeyLimits limits = limits(entity);
        return new ApiKeyView(entity.id, entity.name, entity.keyPrefix, entity.createdAt, entity.team,
                JsonColumns.list(entity.models), entity.expiresAt,
                entity.expiresAt != null && !entity.expiresAt.isAfter(now), limits.maxBudgetUsd(),
                limits.budgetPeriod(), limits.requestsPerMinute(), limits.tokensPerMinute(),
                PolicyMapper.metadata(entity.policy), graceEnd(entity, now), null);
    }

    public static KeyLimits limits(ApiKeyEntity entity) {
        return PolicyMapper.limits(entity.policy);
    }

    /**
     * As the router sees a key at {@code now}: its hash and policy, and the replaced key's hash only while its grace
     * lasts.
     */
    public static GatewayKey toGatewayKey(ApiKeyEntity entity, Instant now) {
        Instant graceEnd = graceEnd(entity, now);
        return new GatewayKey(entity.id, entity.name, entity.keyHash, entity.createdAt, entity.team,
                JsonColumns.list(entity.models), entity.expiresAt, limits(entity),
                graceEnd == null ? null : entity.previousKeyHash, graceEnd);
    }

    private static Instant graceEnd(ApiKeyEntity entity, Instant now) {
        return entity.previousKeyHash != null && entity.previousValidUntil != null
                && entity.previousValidUntil.isAfter(now) ? entity.previousValidUntil : null;
    }
}
