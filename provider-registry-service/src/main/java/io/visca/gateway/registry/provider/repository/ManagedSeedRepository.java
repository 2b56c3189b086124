package io.visca.gateway.registry.provider.repository;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ManagedSeedRepository implements PanacheRepositoryBase<ManagedSeedEntity, String> {

    /**
     * The providers that are managed now: seeded from the catalogue and still the row that was seeded (a provider
     * deleted and created again by hand under the same name is the operator's own).
     */
    public Uni<Set<String>> managedNames() {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery("select p.name from ProviderEntity p, "
                        + "ManagedSeedEntity m where p.name = m.name and p.createdAt = m.providerCreatedAt",
                        String.class).getResultList())
                .map(HashSet::new);
    }
}
