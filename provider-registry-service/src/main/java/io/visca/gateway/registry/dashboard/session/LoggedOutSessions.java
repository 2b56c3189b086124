package io.visca.gateway.registry.dashboard.session;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The dashboard sessions a logout ended, in PostgreSQL ({@code dashboard_logout}), so that a logout on one registry
 * instance ends the session on every instance at once: each dashboard request looks its session id up (one
 * primary-key read, no cache). A row stays until the session's cookie would have expired anyway; each logout removes
 * the expired ones.
 */
@ApplicationScoped
public class LoggedOutSessions {

    private final Pool db;

    LoggedOutSessions(Pool db) {
        this.db = db;
    }

    /** Whether {@code session} was logged out (on any instance). */
    public Uni<Boolean> contains(DashboardSessions.Session session) {
        return db.preparedQuery("select 1 from dashboard_logout where session_id = $1")
                .execute(Tuple.of(session.id())).map(rows -> rows.size() > 0);
    }

    /** Ends {@code session} on every instance; committed when the answer arrives. */
    public Uni<Void> add(DashboardSessions.Session session) {
        return db.preparedQuery("insert into dashboard_logout (session_id, expires_at) values ($1, to_timestamp($2)) "
                + "on conflict (session_id) do nothing")
                .execute(Tuple.of(session.id(), session.expiresAt()))
                .chain(() -> db.query("delete from dashboard_logout where expires_at < now()").execute())
                .replaceWithVoid();
    }
}
