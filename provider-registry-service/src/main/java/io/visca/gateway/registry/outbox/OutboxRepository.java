package io.visca.gateway.registry.outbox;

import java.time.Duration;
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

    /** Marks one event published: deleted in the relay's transaction, which also proves its session still lives. */
    public Uni<Long> deleteRevision(long revision) {
        return delete("revision = ?1", revision);
    }

    /**
     * Takes the relay lock for the rest of the current transaction: a PostgreSQL advisory lock
     * ({@code pg_advisory_xact_lock}) that one transaction of one instance holds at a time, released at its commit,
     * its rollback, or when PostgreSQL ends its session (the process died: at once; it went silent inside the
     * transaction: after {@code idle}, through {@code idle_in_transaction_session_timeout}).
     *
     * Fails, and with it the transaction, when another instance held it for longer than {@code wait}
     * ({@code lock_timeout}): that instance is relaying ({@link #lockTimedOut}).
     */
    public Uni<Void> lockRelay(Duration wait, Duration idle) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("set local idle_in_transaction_session_timeout = '" + idle.toMillis() + "ms'")
                .executeUpdate()
                .chain(() -> session.createNativeQuery("set local lock_timeout = '" + wait.toMillis() + "ms'")
                        .executeUpdate())
                .chain(() -> session.createNativeQuery(
                        "select count(*) from (select pg_advisory_xact_lock(" + RELAY_LOCK + ")) taken")
                        .getSingleResult())
                .replaceWithVoid());
    }

    /** The key of the relay lock ({@code 'visca' * 256 + 1}); nothing else in the registry's database uses it. */
    static final long RELAY_LOCK = 0x766973636101L;

    /** Whether a statement failed with {@code lock_not_available} (55P03): its {@code lock_timeout} passed. */
    public static boolean lockTimedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && "55P03".equals(pg.getSqlState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
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
