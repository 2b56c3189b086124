package io.visca.gateway.registry.instances;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Lets one of several registry instances run each round of a scheduled job: every instance's scheduler fires, and
 * the one that moves the job's {@code scheduled_round.started_at} on (at least {@code gap} after the last round
 * started, by the database's clock) runs the round; the others skip it. With a gap a little shorter than the
 * schedule's interval, the job runs about once per interval whichever instances live, and an instance that dies
 * leaves the next round to the others.
 */
@ApplicationScoped
public class ScheduledRounds {

    private final Pool db;

    ScheduledRounds(Pool db) {
        this.db = db;
    }

    /** Whether this instance runs {@code job}'s round now (false: another started one less than {@code gap} ago). */
    public Uni<Boolean> claim(String job, Duration gap) {
        return db.preparedQuery("insert into scheduled_round as r (job, started_at) values ($1, now()) "
                + "on conflict (job) do update set started_at = now() "
                + "where r.started_at <= now() - $2 * interval '1 millisecond'")
                .execute(Tuple.of(job, gap.toMillis()))
                .map(result -> result.rowCount() == 1);
    }
}
