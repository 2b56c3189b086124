package io.visca.gateway.registry.snapshot;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.provider.RegistrySnapshot;
import io.visca.gateway.registry.apikey.mapping.ApiKeyMapper;
import io.visca.gateway.registry.apikey.repository.ApiKeyRepository;
import io.visca.gateway.registry.discovery.mapping.DiscoveredModels;
import io.visca.gateway.registry.outbox.OutboxRepository;
import io.visca.gateway.registry.provider.mapping.ProviderMapper;
import io.visca.gateway.registry.provider.repository.ProviderRepository;
import io.visca.gateway.registry.routing.mapping.RoutingMapper;
import io.visca.gateway.registry.routing.repository.RoutingPolicyRepository;

/**
 * The whole registry as the other services start from it: revision, every provider (secrets as stored, discovered
 * models included), the
 * active keys' hashes and the default routing policies, read in one read-only REPEATABLE READ transaction, so they
 * agree with each other.
 */
@ApplicationScoped
public class SnapshotService {

    private final OutboxRepository state;
    private final ProviderRepository providers;
    private final ApiKeyRepository keys;
    private final RoutingPolicyRepository routing;
    private final ProviderMapper mapper;
    private final RoutingMapper routingMapper;
    private final DiscoveredModels discovered;

    SnapshotService(OutboxRepository state, ProviderRepository providers, ApiKeyRepository keys,
            RoutingPolicyRepository routing, ProviderMapper mapper, RoutingMapper routingMapper,
            DiscoveredModels discovered) {
        this.discovered = discovered;
        this.state = state;
        this.providers = providers;
        this.keys = keys;
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
                                .chain(keyRows -> routing.listByKey()
                                        .map(policyRows -> new RegistrySnapshot(revision, Instant.now(),
                                                configs,
                                                keyRows.stream().map(ApiKeyMapper::toGatewayKey).toList(),
                                                routingMapper.toPolicies(policyRows)))))));
    }
}
