package io.visca.gateway.billing.quota.repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The quota store's statements, each run on the caller's connection inside its transaction. Lease rows are written
 * only while their counter is locked ({@link #ensureAndLock}), and every statement that changes a lease adds the
 * change of its charge ({@code lease_charge}, see {@code V4__quota_store.sql}) to the counter in the same statement,
 * so {@code committed} is always the opening spend plus the sum of the charges. Values travel as text and are cast by
 * PostgreSQL (as in the ledger), so no decimal is ever rounded on the way.
 */
@ApplicationScoped
public class QuotaRepository {

    /**
     * A budget counter as a grant sees it; {@code otherRouters}: routers other than the asker with open leases;
     * {@code outstanding}: what open leases hold beyond the cost settled against them.
     */
    public record Budget(BigDecimal committed, long otherRouters, BigDecimal outstanding) {
    }

    /** What a release did: leases released now, and those the store holds as reclaimed or does not know. */
    public record Released(Set<String> released, Set<String> expired) {
    }

    private static final String OPENING_SPEND = """
            case when k.scope like 'key:%' then
                (select coalesce(sum(h.total_cost), 0) from usage_hourly h
                 where h.api_key_id = substr(k.scope, 5) and h.hour >= k.window_start)
            else
                (select coalesce(sum(h.total_cost), 0) from usage_hourly h
                 where h.team = substr(k.scope, 6) and h.team <> '' and h.hour >= k.window_start)
            end""";

    /**
     * Per scope: the counter's spent and committed, or (no counter) the ledger's spend from the window's start and
     * a null committed. The opening spend is computed only for scopes without a counter.
     */
    private static final String STATUS = """
            select k.scope, coalesce(c.spent, %s), c.committed
            from unnest(cast($1 as text[])) with ordinality as u(scope, n)
            cross join lateral (select u.scope, cast(cast($2 as text) as timestamptz) as window_start) k
            left join budget_counter c on c.scope = k.scope and c.window_start = k.window_start
            order by u.n
            """.formatted(OPENING_SPEND);

    private static final String CREATE = """
            insert into budget_counter (scope, window_start, limit_usd, opening_spend, spent, committed)
            select k.scope, k.window_start, k.limit_usd, o.spend, o.spend, o.spend
            from unnest(cast($1 as text[]), cast(cast($2 as text[]) as timestamptz[]),
                        cast(cast($3 as text[]) as numeric[])) as k(scope, window_start, limit_usd)
            cross join lateral (select %s as spend) o
            where not exists (select 1 from budget_counter c where c.scope = k.scope and c.window_start = k.window_start)
            order by k.scope collate "C", k.window_start
            on conflict (scope, window_start) do nothing
            """.formatted(OPENING_SPEND);

    private static final String LOCK = """
            select 1 from budget_counter c
            where (c.scope, c.window_start) in (
                select * from unnest(cast($1 as text[]), cast(cast($2 as text[]) as timestamptz[])))
            order by c.scope collate "C", c.window_start
            for update of c
            """;

    private static final String LEASE_KEYS = """
            select cast(id as text), scope, window_start from budget_lease
            where id = any(cast(cast($1 as text[]) as uuid[]))
            """;

    private static final String RELEASE = """
            with r as (
                select * from unnest(cast(cast($1 as text[]) as uuid[]), cast(cast($2 as text[]) as numeric[]))
                as r(id, used)
            ), released as (
                update budget_lease l set used = r.used, released_at = cast(cast($3 as text) as timestamptz)
                from r where l.id = r.id and l.released_at is null and l.reclaimed_at is null
                returning l.id, l.scope, l.window_start,
                    lease_charge(l.amount, l.settled, l.used, true, false) - greatest(l.amount, l.settled) as delta
            ), counted as (
                update budget_counter c set committed = c.committed + d.delta
                from (select scope, window_start, sum(delta) as delta from released group by 1, 2) d
                where c.scope = d.scope and c.window_start = d.window_start
                returning 1
            )
            -- counted runs to completion though nothing reads it (as every data-modifying WITH)
            select cast(id as text), true from released
            union all
            select cast(r.id as text), false from r
            where not exists (select 1 from budget_lease l where l.id = r.id and l.reclaimed_at is null)
            """;

    /**
     * A release of a lease the store does not know leaves a tombstone under its id (released, nothing charged, no
     * scope), so that a grant under that id arriving later (an ask that timed out at the router while the store was
     * stalled) gets nothing. An id that conflicts exists already: a lease a concurrent grant has just committed.
     */
    private static final String TOMBSTONE = """
            insert into budget_lease (id, scope, window_start, router_id, amount, used, granted_at, expires_at,
                                      released_at)
            select id, '', cast(cast($2 as text) as timestamptz), '', 0, 0, cast(cast($2 as text) as timestamptz),
                   cast(cast($2 as text) as timestamptz), cast(cast($2 as text) as timestamptz)
            from unnest(cast(cast($1 as text[]) as uuid[])) as t(id)
            on conflict (id) do nothing
            returning cast(id as text)
            """;

    private static final String HOLD = """
            update budget_lease set expires_at = cast(cast($2 as text) as timestamptz)
            where id = any(cast(cast($1 as text[]) as uuid[])) and released_at is null and reclaimed_at is null
            returning cast(id as text)
            """;

    private static final String BUDGET = """
            select c.committed,
                   (select count(distinct l.router_id) from budget_lease l
                    where l.scope = c.scope and l.window_start = c.window_start and l.released_at is null
                      and l.reclaimed_at is null and l.expires_at > cast(cast($3 as text) as timestamptz)
                      and l.router_id <> $4),
                   (select coalesce(sum(greatest(l.amount, l.settled) - l.settled), 0) from budget_lease l
                    where l.scope = c.scope and l.window_start = c.window_start and l.released_at is null
                      and l.reclaimed_at is null)
            from budget_counter c where c.scope = $1 and c.window_start = cast(cast($2 as text) as timestamptz)
            """;

    private static final String GRANT = """
            with lease as (
                insert into budget_lease (id, scope, window_start, router_id, amount, granted_at, expires_at)
                select cast(cast($5 as text) as uuid), $1, cast(cast($2 as text) as timestamptz), $6,
                       cast(cast($4 as text) as numeric), cast(cast($7 as text) as timestamptz),
                       cast(cast($8 as text) as timestamptz)
                where $5 is not null
                on conflict (id) do nothing
                returning 1
            )
            update budget_counter set limit_usd = cast(cast($3 as text) as numeric),
                                      committed = committed + cast(cast($4 as text) as numeric)
            where scope = $1 and window_start = cast(cast($2 as text) as timestamptz)
              and ($5 is null or exists (select 1 from lease))
            returning committed, (select count(*) from lease)
            """;

    private static final String RATE_ENSURE = """
            insert into rate_window (scope, kind, window_start, granted)
            values ($1, $2, cast(cast($3 as text) as timestamptz), 0)
            on conflict (scope, kind, window_start) do nothing
            """;

    /** A statement of its own after RATE_ENSURE: a row another transaction inserted meanwhile is then visible. */
    private static final String RATE_LOCK = """
            select granted from rate_window
            where scope = $1 and kind = $2 and window_start = cast(cast($3 as text) as timestamptz)
            for update
            """;

    private static final String RATE_ADD = """
            update rate_window set granted = granted + cast(cast($4 as text) as numeric)
            where scope = $1 and kind = $2 and window_start = cast(cast($3 as text) as timestamptz)
            returning granted
            """;

    /**
     * Creates the counters of {@code asked} that do not exist yet (the opening spend from the ledger's rollup: the
     * scope's total cost from the window's start on, whole hours, so it survives the raw-record retention), then locks
     * every counter of {@code asked} and {@code leased} in key order.
     *
     * @param asked the budgets asked for, with the limit the router gave
     */
    public Uni<Void> ensureAndLock(SqlClient conn, Map<CounterKey, BigDecimal> asked, Collection<CounterKey> leased) {
        List<CounterKey> create = asked.keySet().stream().sorted().toList();
        Uni<?> created = create.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery(CREATE).execute(Tuple.of(create.stream().map(CounterKey::scope)
                        .toArray(String[]::new), times(create),
                        create.stream().map(k -> asked.get(k).toPlainString())
                                .toArray(String[]::new)));
        Set<CounterKey> all = new HashSet<>(asked.keySet());
        all.addAll(leased);
        List<CounterKey> lock = all.stream().sorted().toList();
        return created.chain(() -> lock.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery(LOCK).execute(Tuple.of(lock.stream().map(CounterKey::scope)
                        .toArray(String[]::new), times(lock))).replaceWithVoid());
    }

    /** The counters of the given leases (those the store knows), by lease id. */
    public Uni<Map<String, CounterKey>> leaseKeys(SqlClient conn, Collection<String> leaseIds) {
        if (leaseIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return conn.preparedQuery(LEASE_KEYS).execute(Tuple.of((Object) leaseIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, CounterKey> keys = new HashMap<>();
                    for (Row row : rows) {
                        keys.put(row.getString(0),
                                new CounterKey(row.getString(1), row.getOffsetDateTime(2).toInstant()));
                    }
                    return keys;
                });
    }

    /**
     * Releases open leases with what they used; counters locked. A lease released before is neither. A lease the
     * store does not know is voided (a tombstone, {@link #TOMBSTONE}); one a concurrent grant committed meanwhile is
     * released after all.
     */
    public Uni<Released> release(SqlClient conn, List<String> ids, List<BigDecimal> used, Instant now) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(new Released(Set.of(), Set.of()));
        }
        return releaseOnce(conn, ids, used, now).chain(first -> {
            if (first.expired().isEmpty()) {
                return Uni.createFrom().item(first);
            }
            return conn.preparedQuery(TOMBSTONE).execute(Tuple.of(first.expired().toArray(String[]::new),
                    now.toString())).chain(rows -> {
                        Set<String> voided = new HashSet<>();
                        rows.forEach(row -> voided.add(row.getString(0)));
                        List<String> again = new ArrayList<>();
                        List<BigDecimal> againUsed = new ArrayList<>();
                        for (int i = 0; i < ids.size(); i++) {
                            String id = ids.get(i).toLowerCase();
                            if (first.expired().contains(id) && !voided.contains(id)) {
                                again.add(id);
                                againUsed.add(used.get(i));
                            }
                        }
                        if (again.isEmpty()) {
                            return Uni.createFrom().item(first);
                        }
                        return releaseOnce(conn, again, againUsed, now).map(second -> {
                            Set<String> released = new HashSet<>(first.released());
                            released.addAll(second.released());
                            Set<String> expired = new HashSet<>(first.expired());
                            expired.removeAll(second.released());
                            return new Released(released, expired);
                        });
                    });
        });
    }

    private Uni<Released> releaseOnce(SqlClient conn, List<String> ids, List<BigDecimal> used, Instant now) {
        return conn.preparedQuery(RELEASE).execute(Tuple.of(ids.toArray(String[]::new),
                used.stream().map(BigDecimal::toPlainString).toArray(String[]::new), now.toString())).map(rows -> {
                    Set<String> released = new HashSet<>();
                    Set<String> expired = new HashSet<>();
                    for (Row row : rows) {
                        (row.getBoolean(1) ? released : expired).add(row.getString(0));
                    }
                    return new Released(released, expired);
                });
    }

    /** Extends the open leases among {@code ids} until {@code expiresAt}; returns those extended. */
    public Uni<Set<String>> hold(SqlClient conn, Collection<String> ids, Instant expiresAt) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return conn.preparedQuery(HOLD).execute(Tuple.of(ids.toArray(String[]::new), expiresAt.toString()))
                .map(rows -> {
                    Set<String> held = new HashSet<>();
                    rows.forEach(row -> held.add(row.getString(0)));
                    return held;
                });
    }

    /** A locked counter's committed amount and how many other routers hold open, unexpired leases on it. */
    public Uni<Budget> budget(SqlClient conn, CounterKey key, String routerId, Instant now) {
        return conn.preparedQuery(BUDGET).execute(Tuple.of(key.scope(), key.windowStart().toString(),
                now.toString(), routerId)).map(rows -> {
                    Row row = rows.iterator().next();
                    return new Budget(row.getBigDecimal(0), row.getLong(1), row.getBigDecimal(2));
                });
    }

    /**
     * Records a grant on a locked counter: a new lease of {@code amount} (none when {@code leaseId} is null, the
     * amount then being zero), the counter's limit as the router gave it; returns the counter's committed amount, or
     * null when a lease with that id exists already (nothing recorded).
     */
    public Uni<BigDecimal> grant(SqlClient conn, CounterKey key, BigDecimal limit, BigDecimal amount, String leaseId,
            String routerId, Instant now, Instant expiresAt) {
        return conn.preparedQuery(GRANT).execute(Tuple.tuple().addString(key.scope())
                .addString(key.windowStart().toString()).addString(limit.toPlainString())
                .addString(amount.toPlainString()).addString(leaseId).addString(routerId).addString(now.toString())
                .addString(expiresAt.toString()))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBigDecimal(0));
    }

    /** Locks a rate window (made at zero when new) and returns what it has granted so far. */
    public Uni<BigDecimal> rateGranted(SqlClient conn, String scope, String kind, Instant windowStart) {
        Tuple key = Tuple.of(scope, kind, windowStart.toString());
        return conn.preparedQuery(RATE_ENSURE).execute(key)
                .chain(() -> conn.preparedQuery(RATE_LOCK).execute(key))
                .map(rows -> rows.iterator().next().getBigDecimal(0));
    }

    /** Adds to a locked rate window; returns its new total. */
    public Uni<BigDecimal> rateAdd(SqlClient conn, String scope, String kind, Instant windowStart, BigDecimal amount) {
        return conn.preparedQuery(RATE_ADD).execute(Tuple.of(scope, kind, windowStart.toString(),
                amount.toPlainString())).map(rows -> rows.iterator().next().getBigDecimal(0));
    }

    /** Per scope, in the order given: spent and committed (committed null when no counter exists). */
    public Uni<List<BigDecimal[]>> statuses(SqlClient client, List<String> scopes, Instant windowStart) {
        return client.preparedQuery(STATUS).execute(Tuple.of(scopes.toArray(String[]::new), windowStart.toString()))
                .map(rows -> {
                    List<BigDecimal[]> statuses = new ArrayList<>();
                    rows.forEach(row -> statuses.add(new BigDecimal[] { row.getBigDecimal(1), row.getBigDecimal(2) }));
                    return statuses;
                });
    }

    static String[] times(List<CounterKey> keys) {
        List<String> times = new ArrayList<>(keys.size());
        keys.forEach(k -> times.add(k.windowStart().toString()));
        return times.toArray(String[]::new);
    }
}
