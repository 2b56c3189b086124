package io.visca.gateway.registry.dashboard.session;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.visca.gateway.registry.config.RegistryConfig;

/**
 * Slows down guessing of the admin token: after {@code registry.dashboard.login-failures-per-minute} failed logins
 * from one client address within a minute (from its first failure), every login from it is refused until the minute
 * is over, the right token too (a lock that let it through would tell a guesser when it guessed right); a success
 * before the lock resets the count. The counts live in PostgreSQL ({@code dashboard_login_failure}), so failures on
 * every registry instance add up, and are timed by the database's clock, which all instances share. Expired windows
 * are removed at each failure.
 */
@ApplicationScoped
public class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(1);

    private final Pool db;
    private final int maxFailures;

    LoginThrottle(Pool db, RegistryConfig config) {
        this.db = db;
        this.maxFailures = config.dashboard().loginFailuresPerMinute();
    }

    /** 0 when this client may try to log in now, else the whole seconds until it may (for {@code Retry-After}). */
    public Uni<Long> retryAfterSeconds(String client) {
        return db.preparedQuery("select ceil(extract(epoch from window_start + $2 * interval '1 millisecond' - now()))"
                + "::bigint from dashboard_login_failure where client = $1 and failures >= $3 "
                + "and window_start > now() - $2 * interval '1 millisecond'")
                .execute(Tuple.of(client, WINDOW.toMillis(), maxFailures))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return 0L;
                    }
                    Row row = rows.iterator().next();
                    return Math.max(1L, row.getLong(0));
                });
    }

    /** Counts a failed login of {@code client}, in its current window or a new one. */
    public Uni<Void> failed(String client) {
        return db.preparedQuery("insert into dashboard_login_failure as f (client, window_start, failures) "
                + "values ($1, now(), 1) on conflict (client) do update set "
                + "window_start = case when f.window_start <= now() - $2 * interval '1 millisecond' then now() "
                + "else f.window_start end, "
                + "failures = case when f.window_start <= now() - $2 * interval '1 millisecond' then 1 "
                + "else f.failures + 1 end")
                .execute(Tuple.of(client, WINDOW.toMillis()))
                .chain(() -> db.preparedQuery("delete from dashboard_login_failure "
                        + "where window_start <= now() - $1 * interval '1 millisecond'")
                        .execute(Tuple.of(WINDOW.toMillis())))
                .replaceWithVoid();
    }

    /** A successful login resets the client's count. */
    public Uni<Void> succeeded(String client) {
        return db.preparedQuery("delete from dashboard_login_failure where client = $1").execute(Tuple.of(client))
                .replaceWithVoid();
    }
}
