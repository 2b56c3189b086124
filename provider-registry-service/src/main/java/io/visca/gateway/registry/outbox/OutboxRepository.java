package io.visca.gateway.registry.outbox;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.LockMode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntity, Long> {

    /** The oldest unpublished events, in revision order. */
    public Uni<List<OutboxEntity>> oldest(int limit) {
        return findAll(Sort.by("revision")).page(0, limit).list();
    }

    public Uni<Long> deleteRevisions(List<Long> revisions) {
        return delete("revision in ?1", revisions);
    }

    /**
     * Locks the registry state row for the rest of the current transaction and returns its revision. Every writer
     * takes this lock first, so changes are serialized and revisions follow commit order.
     */
    public Uni<Long> lockRevision() {
        return state(LockMode.PESSIMISTIC_WRITE).map(state -> state.revision);
    }

    /** Sets the revision of the state row locked by {@link #lockRevision()} in this transaction. */
    public Uni<Void> setRevision(long revision) {
        return state(LockMode.PESSIMISTIC_WRITE).invoke(state -> state.revision = revision).replaceWithVoid();
    }

    /** The current revision, without locking. */
    public Uni<Long> currentRevision() {
        return state(LockMode.NONE).map(state -> state.revision);
    }

    private Uni<RegistryStateEntity> state(LockMode lock) {
        return Panache.getSession()
                .chain(session -> session.find(RegistryStateEntity.class, RegistryStateEntity.ID, lock))
                .map(state -> {
                    if (state == null) {
                        throw new IllegalStateException("registry_state row is missing; was the schema migrated?");
                    }
                    return state;
                });
    }
}
