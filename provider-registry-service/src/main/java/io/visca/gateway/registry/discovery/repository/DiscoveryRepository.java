package io.visca.gateway.registry.discovery.repository;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class DiscoveryRepository implements PanacheRepositoryBase<DiscoveryEntity, String> {

    /** Every provider's discovery state, by provider name. */
    public Uni<Map<String, DiscoveryEntity>> byProvider() {
        return listAll().map(rows -> rows.stream().collect(Collectors.toMap(row -> row.provider, Function.identity())));
    }
}
