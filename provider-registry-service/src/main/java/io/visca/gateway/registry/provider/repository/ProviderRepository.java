package io.visca.gateway.registry.provider.repository;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ProviderRepository implements PanacheRepositoryBase<ProviderEntity, String> {

    public Uni<List<ProviderEntity>> listByName() {
        return listAll(Sort.by("name"));
    }

    /** The name of every provider, enabled or not, without reading their documents. */
    public Uni<Set<String>> names() {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery("select name from ProviderEntity", String.class)
                        .getResultList())
                .map(HashSet::new);
    }
}
