package io.visca.gateway.registry.team.mapping;

import io.visca.gateway.contracts.provider.GatewayTeam;
import io.visca.gateway.contracts.provider.KeyLimits;
import io.visca.gateway.registry.policy.mapping.JsonColumns;
import io.visca.gateway.registry.policy.mapping.PolicyFields;
import io.visca.gateway.registry.team.repository.TeamEntity;

/** Between {@link TeamEntity}, the admin API's {@link TeamView} and the router's {@link GatewayTeam}. */
public final class TeamMapper {

    private TeamMapper() {
    }

    /** Without the budget's spend. */
    public static TeamView toApiModel(TeamEntity entity) {
        return new TeamView(entity.name, PolicyFields.normalized(entity.maxBudgetUsd), entity.budgetPeriod,
                entity.requestsPerMinute, entity.tokensPerMinute, JsonColumns.map(entity.metadata), entity.createdAt,
                entity.updatedAt, null);
    }

    public static KeyLimits limits(TeamEntity entity) {
        return new KeyLimits(PolicyFields.normalized(entity.maxBudgetUsd), entity.budgetPeriod,
                entity.requestsPerMinute, entity.tokensPerMinute);
    }

    public static GatewayTeam toGatewayTeam(TeamEntity entity) {
        return new GatewayTeam(entity.name, limits(entity));
    }
}
