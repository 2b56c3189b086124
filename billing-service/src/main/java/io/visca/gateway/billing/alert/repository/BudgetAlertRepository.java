package io.visca.gateway.billing.alert.repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code budget_alert} table ({@code V5__budget_alerts.sql}): recording crossings inside the ledger's settlement
 * transaction, claiming and marking deliveries, and pages for the API.
 */
@ApplicationScoped
public class BudgetAlertRepository {

    /**
     * Every threshold the counters of the given leases have reached and that is not recorded yet. The counters are
     * locked by the settlement that just raised their spent, so two writers never race on one; the unique key makes a
     * threshold of a period recorded once, whatever is retried or redelivered. A counter that opened above a
     * threshold (spend before its first ask) records it on its first settlement.
     */
    private static final String RECORD = """
            with recorded as (
                insert into budget_alert (id, scope, window_start, threshold, spent, limit_usd, crossed_at,
                                          next_attempt_at)
                select cast(md5(c.scope || '|' || cast(extract(epoch from c.window_start) as text) || '|'
                                || t.threshold) as uuid),
                       c.scope, c.window_start, t.threshold, c.spent, c.limit_usd, now(), now()
                from budget_counter c cross join (values (50), (80), (100)) as t(threshold)
                where (c.scope, c.window_start) in (
                        select scope, window_start from budget_lease
                        where id = any(cast(cast(:ids as text[]) as uuid[])))
                  and c.spent > 0 and c.spent * 100 >= c.limit_usd * t.threshold
                order by c.scope collate "C", c.window_start, t.threshold
                on conflict (scope, window_start, threshold) do nothing
                returning 1
            )
            select count(*) from recorded
            """;

    private static final String COLUMNS = "seq, cast(id as text), scope, window_start, threshold, spent, limit_usd, "
            + "crossed_at, delivered_at, attempts, last_error";

    /** Takes due alerts (skipping those another billing instance is posting) and holds them for one attempt. */
    private static final String CLAIM = """
            update budget_alert a set next_attempt_at = cast(cast($2 as text) as timestamptz)
            where a.seq in (
                select seq from budget_alert
                where delivered_at is null and next_attempt_at <= cast(cast($1 as text) as timestamptz)
                order by seq limit $3
                for update skip locked)
            returning %s
            """.formatted(COLUMNS);

    private static final String DELIVERED = """
            update budget_alert set delivered_at = cast(cast($2 as text) as timestamptz), attempts = attempts + 1,
                                    last_error = null
            where seq = $1 and delivered_at is null
            """;

    private static final String FAILED = """
            update budget_alert set attempts = attempts + 1, next_attempt_at = cast(cast($2 as text) as timestamptz),
                                    last_error = $3
            where seq = $1 and delivered_at is null
            """;

    private static final String PAGE = """
            select %s from budget_alert
            where ($1::text is null or scope = $1) and ($2::bigint is null or seq < $2)
            order by seq desc limit $3
            """.formatted(COLUMNS);

    /** One stored alert. {@code seq}: its place in the table, newest highest. */
    public record Alert(long seq, String id, String scope, Instant windowStart, int threshold, BigDecimal spent,
            BigDecimal limitUsd, Instant crossedAt, Instant deliveredAt, int attempts, String lastError) {
    }

    private final Pool pool;

    BudgetAlertRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records the thresholds the counters of {@code leaseIds} have reached, inside the caller's Hibernate Reactive
     * transaction (the ledger's write, after settlement); returns how many alerts are new.
     */
    public Uni<Long> recordCrossings(String[] leaseIds) {
        return Panache.getSession().chain(session -> session.createNativeQuery(RECORD, Long.class)
                .setParameter("ids", leaseIds).getSingleResult());
    }

    /** Claims up to {@code limit} alerts due at {@code now}, oldest first, held until {@code holdUntil}. */
    public Uni<List<Alert>> claim(Instant now, Instant holdUntil, int limit) {
        // an update returns its rows in no particular order
        return pool.preparedQuery(CLAIM).execute(Tuple.of(now.toString(), holdUntil.toString(), limit))
                .map(rows -> alerts(rows).stream().sorted(Comparator.comparingLong(Alert::seq)).toList());
    }

    public Uni<Void> delivered(long seq, Instant at) {
        return pool.preparedQuery(DELIVERED).execute(Tuple.of(seq, at.toString())).replaceWithVoid();
    }

    public Uni<Void> failed(long seq, Instant nextAttempt, String error) {
        return pool.preparedQuery(FAILED).execute(Tuple.of(seq, nextAttempt.toString(), error)).replaceWithVoid();
    }

    /** Newest first: up to {@code limit} alerts older than {@code beforeSeq} (null: from the newest), of one scope. */
    public Uni<List<Alert>> page(String scope, Long beforeSeq, int limit) {
        return pool.preparedQuery(PAGE).execute(Tuple.of(scope, beforeSeq, limit)).map(BudgetAlertRepository::alerts);
    }

    private static List<Alert> alerts(RowSet<Row> rows) {
        List<Alert> alerts = new ArrayList<>();
        for (Row r : rows) {
            alerts.add(new Alert(r.getLong(0), r.getString(1), r.getString(2), r.getOffsetDateTime(3).toInstant(),
                    r.getInteger(4), r.getBigDecimal(5), r.getBigDecimal(6), r.getOffsetDateTime(7).toInstant(),
                    r.getOffsetDateTime(8) == null ? null : r.getOffsetDateTime(8).toInstant(), r.getInteger(9),
                    r.getString(10)));
        }
        return alerts;
    }
}
