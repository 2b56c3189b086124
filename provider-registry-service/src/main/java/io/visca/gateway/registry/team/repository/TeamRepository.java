package io.visca.gateway.registry.team.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class TeamRepository implements PanacheRepositoryBase<TeamEntity, String> {

    public Uni<List<TeamEntity>> listByName() {
        return listAll(Sort.by("name"));
    }
}
