package io.visca.gateway.billing.quota.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.visca.gateway.billing.config.BillingConfig;
import io.visca.gateway.billing.ledger.DbErrors;

/**
 * Keeps the quota store's tables honest and small, every {@code billing.quota.reclaim-interval}:
 * <ul>
 * <li>open leases whose expiry plus {@code billing.quota.reclaim-grace} has passed are reclaimed: their router is
 * gone or cut off (it admits nothing under a lease after its expiry, and the grace outlasts any request admitted
 * before), so their charge drops to what the ledger billed under them, and the rest is free again — only once this
 * process has itself run for the grace without a gap ({@link ReclaimGate});</li>
 * <li>closed leases whose charge is what was billed under them are folded into their counter's opening spend and
 * deleted {@code billing.quota.closed-lease-retention} after they closed (both sums of the counter stay exact);</li>
 * <li>rate windows older than {@code billing.quota.rate-window-retention} are deleted.</li>
 * </ul>
 * Each step locks the counters it changes first, in key order, as every writer does.
 */
@ApplicationScoped
public class QuotaReclaimJob {

    private static final Logger LOG = Logger.getLogger(QuotaReclaimJob.class);

    /** The lease statements below run after their counters are locked by LOCK_FOR with the same condition. */
    private static final String LOCK_FOR = """
            select 1 from budget_counter c
            where (c.scope, c.window_start) in (select scope, window_start from budget_lease l where %s)
            order by c.scope collate "C", c.window_start
            for update of c
            """;

    private static final String EXPIRED = "l.released_at is null and l.reclaimed_at is null "
            + "and l.expires_at < cast(cast($1 as text) as timestamptz)";

    private static final String RECLAIM = """
            with reclaimed as (
                update budget_lease l set reclaimed_at = cast(cast($2 as text) as timestamptz)
                where %s
                returning l.scope, l.window_start, l.settled - greatest(l.amount, l.settled) as delta
            ), counted as (
                update budget_counter c set committed = c.committed + d.delta
                from (select scope, window_start, sum(delta) as delta from reclaimed group by 1, 2) d
                where c.scope = d.scope and c.window_start = d.window_start
                returning 1
            )
            select count(*) from reclaimed
            """.formatted(EXPIRED);

    private static final String FOLDABLE = "coalesce(l.released_at, l.reclaimed_at) < cast(cast($1 as text) as "
            + "timestamptz) and lease_charge(l.amount, l.settled, l.used, l.released_at is not null, "
            + "l.reclaimed_at is not null) = l.settled";

    private static final String FOLD = """
            with gone as (
                delete from budget_lease l where %s
                returning l.scope, l.window_start, l.settled
            ), folded as (
                update budget_counter c set opening_spend = c.opening_spend + d.settled
                from (select scope, window_start, sum(settled) as settled from gone group by 1, 2) d
                where c.scope = d.scope and c.window_start = d.window_start
                returning 1
            )
            select count(*) from gone
            """.formatted(FOLDABLE);

    private static final String OLD_RATES = "delete from rate_window where window_start < cast(cast($1 as text) as "
            + "timestamptz)";

    private final Pool pool;
    private final QuotaMetrics metrics;
    private final BillingConfig.Quota config;
    /** Reclaims only after this process has run for the grace without a gap. */
    private final ReclaimGate gate;

    QuotaReclaimJob(Pool pool, QuotaMetrics metrics, BillingConfig config) {
        this.pool = pool;
        this.metrics = metrics;
        this.config = config.quota();
        this.gate = new ReclaimGate(this.config.reclaimGrace(), this.config.reclaimInterval());
    }

    @Scheduled(identity = "quota-reclaim", every = "${billing.quota.reclaim-interval:10s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        Instant now = Instant.now();
        Uni<Long> run = gate.open(now) ? run(now) : tidy(now).replaceWith(0L);
        return run.onFailure().invoke(e -> {
            gate.failed(); // the database was away: the ledger may be behind as well
            LOG.warnf("the quota reclaim run failed (%s); the next run tries again", DbErrors.describe(e));
        }).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Folds closed leases and deletes old rate windows (no reclaim). */
    private Uni<Void> tidy(Instant now) {
        return fold(now.minus(config.closedLeaseRetention())).chain(() -> pool.preparedQuery(OLD_RATES)
                .execute(Tuple.of(now.minus(config.rateWindowRetention()).toString()))).replaceWithVoid();
    }

    /** One run as of {@code now}; returns the leases reclaimed. */
    public Uni<Long> run(Instant now) {
        return reclaim(now).call(() -> tidy(now));
    }

    /** Reclaims the open leases that expired before {@code now} minus the grace; returns how many. */
    public Uni<Long> reclaim(Instant now) {
        String cutoff = now.minus(config.reclaimGrace()).toString();
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_FOR.formatted(EXPIRED)).execute(Tuple.of(cutoff))
                .chain(() -> conn.preparedQuery(RECLAIM).execute(Tuple.of(cutoff, now.toString())))
                .map(rows -> rows.iterator().next().getLong(0)))
                .invoke(reclaimed -> {
                    metrics.reclaimed(reclaimed);
                    if (reclaimed > 0) {
                        LOG.infof("reclaimed %d budget leases that expired before %s (grace %s)", reclaimed, cutoff,
                                config.reclaimGrace());
                    }
                });
    }

    private Uni<Long> fold(Instant closedBefore) {
        String cutoff = closedBefore.toString();
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_FOR.formatted(FOLDABLE)).execute(Tuple.of(cutoff))
                .chain(() -> conn.preparedQuery(FOLD).execute(Tuple.of(cutoff)))
                .map(rows -> rows.iterator().next().getLong(0)));
    }
}
