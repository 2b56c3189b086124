package io.visca.gateway.registry.team.mapping;

import io.visca.gateway.contracts.provider.GatewayTeam;
import io.visca.gateway.contracts.provider.KeyLimits;
import io.visca.gateway.registry.policy.mapping.PolicyMapper;
import io.visca.gateway.registry.team.repository.TeamEntity;

/** Between {@link TeamEntity}, the admin API's {@link TeamView} and the router's {@link GatewayTeam}. */
public final class TeamMapper {

    private TeamMapper() {
    }

    /** Without the budget's spend. */
    public static TeamView toApiModel(TeamEntity entity) {
        KeyLimits limits = limits(entity);
        return new TeamView(entity.name, limits.maxBudgetUsd(), limits.budgetPeriod(), limits.requestsPerMinute(),
                limits.tokensPerMinute(), PolicyMapper.metadata(entity.policy), entity.createdAt,
                entity.updatedAt, null);
    }

    public static KeyLimits limits(TeamEntity entity) {
        return PolicyMapper.limits(entity.policy);
    }

    public static GatewayTeam toGatewayTeam(TeamEntity entity) {
        return new GatewayTeam(entity.name, limits(entity));
    }
}
