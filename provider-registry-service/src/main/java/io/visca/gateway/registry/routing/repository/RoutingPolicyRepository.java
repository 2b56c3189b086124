package io.visca.gateway.registry.routing.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class RoutingPolicyRepository implements PanacheRepositoryBase<RoutingPolicyEntity, String> {

    public Uni<List<RoutingPolicyEntity>> listByKey() {
        return listAll(Sort.by("policyKey"));
    }
}
