package io.visca.gateway.registry.apikey.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKeyEntity, String> {

    public Uni<List<ApiKeyEntity>> listActive() {
        return list("revokedAt is null", Sort.by("createdAt").and("id"));
    }

    public Uni<ApiKeyEntity> findActive(String id) {
        return find("id = ?1 and revokedAt is null", id).firstResult();
    }

    /** How many active keys name the team. */
    public Uni<Long> countActiveInTeam(String team) {
        return count("team = ?1 and revokedAt is null", team);
    }
}
