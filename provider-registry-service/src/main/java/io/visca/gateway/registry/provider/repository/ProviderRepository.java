package io.visca.gateway.registry.provider.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ProviderRepository implements PanacheRepositoryBase<ProviderEntity, String> {

    public Uni<List<ProviderEntity>> listByName() {
        return listAll(Sort.by("name"));
    }
}
