package io.visca.gateway.registry.snapshot;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.RegistrySnapshot;
import io.visca.gateway.registry.apikey.mapping.ApiKeyMapper;
import io.visca.gateway.registry.apikey.repository.ApiKeyEntity;
import io.visca.gateway.registry.apikey.repository.ApiKeyRepository;
import io.visca.gateway.registry.discovery.mapping.DiscoveredModels;
import io.visca.gateway.registry.outbox.OutboxRepository;
import io.visca.gateway.registry.provider.mapping.ProviderMapper;
import io.visca.gateway.registry.provider.repository.ProviderRepository;
import io.visca.gateway.registry.routing.mapping.RoutingMapper;
import io.visca.gateway.registry.routing.repository.RoutingPolicyEntity;
import io.visca.gateway.registry.routing.repository.RoutingPolicyRepository;
import io.visca.gateway.registry.team.mapping.TeamMapper;
import io.visca.gateway.registry.team.repository.TeamEntity;
import io.visca.gateway.registry.team.repository.TeamRepository;

/**
 * The whole registry as the other services start from it: revision, every provider (secrets as stored, discovered
 * models included), the active keys' hashes and policies (expired keys included: the router answers
 * {@code key_expired} to them; a rotated key's previous hash only while its grace lasts), the teams and the default
 * routing policies, read in one read-only REPEATABLE READ transaction, so they agree with each other.
 */
@ApplicationScoped
public class SnapshotService {

    private final OutboxRepository state;
    private final ProviderRepository providers;
    private final ApiKeyRepository keys;
    private final TeamRepository teams;
    private final RoutingPolicyRepository routing;
    private final ProviderMapper mapper;
    private final RoutingMapper routingMapper;
    private final DiscoveredModels discovered;

    SnapshotService(OutboxRepository state, ProviderRepository providers, ApiKeyRepository keys,
            TeamRepository teams, RoutingPolicyRepository routing, ProviderMapper mapper, RoutingMapper routingMapper,
            DiscoveredModels discovered) {
        this.discovered = discovered;
        this.state = state;
        this.providers = providers;
        this.keys = keys;
        this.teams = teams;
        this.routing = routing;
        this.mapper = mapper;
        this.routingMapper = routingMapper;
    }

    public Uni<RegistrySnapshot> snapshot() {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session
                        .createNativeQuery("set transaction isolation level repeatable read, read only")
                        .executeUpdate())
                .chain(() -> state.currentRevision())
                .chain(revision -> providers.listByName()
                        .chain(rows -> discovered.apply(rows.stream().map(mapper::toConfig).toList()))
                        .chain(configs -> keys.listActive()
                                .chain(keyRows -> teams.listByName()
                                        .chain(teamRows -> routing.listByKey()
                                                .map(policyRows -> snapshot(revision, configs, keyRows, teamRows,
                                                        policyRows)))))));
    }

    private RegistrySnapshot snapshot(long revision, List<ProviderConfig> configs, List<ApiKeyEntity> keyRows,
            List<TeamEntity> teamRows, List<RoutingPolicyEntity> policyRows) {
        Instant now = Instant.now();
        return new RegistrySnapshot(revision, now, configs,
                keyRows.stream().map(key -> ApiKeyMapper.toGatewayKey(key, now)).toList(),
                routingMapper.toPolicies(policyRows), teamRows.stream().map(TeamMapper::toGatewayTeam).toList());
    }
}
