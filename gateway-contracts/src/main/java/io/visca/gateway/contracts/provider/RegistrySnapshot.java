package io.visca.gateway.contracts.provider;

import java.time.Instant;
import java.util.List;

import io.visca.gateway.contracts.routing.RoutingPolicies;

/**
 * The full configuration the other services start from: every provider (enabled or not) and every active client
 * key, the teams with limits, and the default routing policies. {@code revision} grows with each change, so a consumer can
 * ignore a
 * snapshot older than the one it has.
 */
public record RegistrySnapshot(long revision, Instant generatedAt, List<ProviderConfig> providers,
        List<GatewayKey> apiKeys, RoutingPolicies routing, List<GatewayTeam> teams) {

    public RegistrySnapshot {
        providers = providers == null ? List.of() : List.copyOf(providers);
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        routing = routing == null ? RoutingPolicies.NONE : routing;
        teams = teams == null ? List.of() : List.copyOf(teams);
    }

}
