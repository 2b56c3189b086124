package io.visca.gateway.billing.quota.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.visca.gateway.billing.config.BillingConfig;
import io.visca.gateway.billing.ledger.DbErrors;
import io.visca.gateway.billing.ledger.LeaseSettlement;
import io.visca.gateway.billing.quota.repository.CounterKey;
import io.visca.gateway.billing.quota.repository.QuotaRepository;
import io.visca.gateway.contracts.quota.BudgetStatus;
import io.visca.gateway.contracts.quota.QuotaAnswer;
import io.visca.gateway.contracts.quota.QuotaExchange;
import io.visca.gateway.kit.admin.error.ApiException;

/**
 * Runs one router's exchange in one transaction: locks every budget counter it touches (creating those asked for the
 * first time, with the ledger's spend of the period so far), in key order; then releases, holds, and grants in that
 * order, so a release and an ask in the same exchange can reuse the released amount. A budget ask is granted only
 * while the counter's committed amount (spent plus every lease still counted) plus the grant stays within the ask's
 * limit, whatever number of routers ask at once: that is the guarantee. A rate ask likewise never takes its minute
 * past the limit.
 * <p>
 * How much of the free room one ask gets: at least its {@code need} (or nothing when that does not fit), at most its
 * {@code want}, and otherwise {@code free / (2 n + 1)} where n is the number of <em>other</em> routers holding open
 * leases on the budget, so a router alone gets what it wants and several share what is left.
 */
@ApplicationScoped
public class QuotaService {

    private static final Logger LOG = Logger.getLogger(QuotaService.class);
    /** Grants are cut (never rounded up) to this many decimal places. */
    static final int GRANT_SCALE = 10;
    private static final int ATTEMPTS = 5;
    /** The most scopes one budget status query may name. */
    static final int MAX_STATUS_SCOPES = 200;

    private final Pool pool;
    private final QuotaRepository repository;
    private final QuotaMetrics metrics;
    private final Duration leaseTime;
    private final int maxAsks;
    private final int maxLeases;

    QuotaService(Pool pool, QuotaRepository repository, QuotaMetrics metrics, BillingConfig config) {
        this.pool = pool;
        this.repository = repository;
        this.metrics = metrics;
        this.leaseTime = config.quota().leaseTime();
        this.maxAsks = config.quota().maxAsks();
        this.maxLeases = config.quota().maxLeases();
    }

    /**
     * @throws ApiException 400 for a malformed exchange (before anything is touched); the Uni fails with a 503
     *         {@link ApiException} when the database cannot be used
     */
    public Uni<QuotaAnswer> exchange(QuotaExchange exchange) {
        QuotaValidator.check(exchange, maxAsks, maxLeases);
        return Uni.createFrom().deferred(() -> {
            Instant now = Instant.now();
            return pool.withTransaction(conn -> run(conn, exchange, now));
        })
                .onFailure(DbErrors::isConflict).retry().atMost(ATTEMPTS - 1)
                .onFailure(failure -> !(failure instanceof ApiException)).transform(this::unavailable)
                .invoke(answer -> count(exchange, answer));
    }

    /**
     * The budgets' state in the window starting at {@code windowStart}: a scope without a counter (no router has
     * asked for it) reports the ledger's spend since then and nothing reserved.
     *
     * @throws ApiException 400 for bad scopes; the Uni fails with a 503 when the database cannot be used
     */
    public Uni<List<BudgetStatus>> budgets(List<String> scopes, Instant windowStart) {
        QuotaValidator.checkScopes(scopes, MAX_STATUS_SCOPES);
        return repository.statuses(pool, scopes, windowStart).map(rows -> {
            List<BudgetStatus> statuses = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                BigDecimal spent = rows.get(i)[0];
                BigDecimal committed = rows.get(i)[1];
                BigDecimal reserved = committed == null ? BigDecimal.ZERO
                        : committed.subtract(spent).max(BigDecimal.ZERO);
                statuses.add(new BudgetStatus(scopes.get(i), windowStart, spent.stripTrailingZeros(),
                        reserved.stripTrailingZeros()));
            }
            return statuses;
        }).onFailure(failure -> !(failure instanceof ApiException)).transform(this::unavailable);
    }

    /** What a 503 says when the database fails; the failure is logged by type and SQLSTATE, not by its message. */
    ApiException unavailable(Throwable failure) {
        metrics.unavailable();
        LOG.warnf("a quota exchange failed (%s): answered 503", DbErrors.describe(failure));
        return new ApiException(503, "api_error", "quota_store_unavailable", null, "the quota store cannot reach its "
                + "database; keep using the leases you hold and ask again later", List.of());
    }

    private Uni<QuotaAnswer> run(SqlConnection conn, QuotaExchange exchange, Instant now) {
        Set<String> expired = new LinkedHashSet<>();
        Map<String, BigDecimal> releases = new LinkedHashMap<>();
        for (QuotaExchange.Release release : exchange.releases()) {
            if (LeaseSettlement.isLeaseId(release.leaseId())) {
                releases.putIfAbsent(release.leaseId().toLowerCase(), release.used());
            } else {
                expired.add(release.leaseId());
            }
        }
        Set<String> held = new LinkedHashSet<>();
        for (String lease : exchange.held()) {
            if (LeaseSettlement.isLeaseId(lease)) {
                held.add(lease.toLowerCase());
            } else {
                expired.add(lease);
            }
        }
        Set<String> named = new LinkedHashSet<>(releases.keySet());
        named.addAll(held);
        Map<CounterKey, BigDecimal> asked = new HashMap<>();
        for (QuotaExchange.Ask ask : exchange.asks()) {
            if (QuotaExchange.BUDGET.equals(ask.kind())) {
                asked.put(new CounterKey(ask.scope(), ask.windowStart()), ask.limit());
            }
        }
        Instant expiresAt = now.plus(leaseTime);
        return repository.leaseKeys(conn, named)
                .chain(leased -> repository.ensureAndLock(conn, asked, leased.values()))
                .chain(() -> repository.release(conn, List.copyOf(releases.keySet()),
                        List.copyOf(releases.values()), now))
                .chain(released -> {
                    expired.addAll(released.expired());
                    return repository.hold(conn, held, expiresAt);
                })
                .chain(extended -> {
                    held.stream().filter(lease -> !extended.contains(lease)).forEach(expired::add);
                    return grants(conn, exchange, now, expiresAt);
                })
                .map(grants -> new QuotaAnswer(grants, List.copyOf(expired)));
    }

    /**
     * Every ask, in key order (budgets by counter, rates by window; asks of one key in the order given), answered in
     * the exchange's order.
     */
    private Uni<List<QuotaAnswer.Grant>> grants(SqlConnection conn, QuotaExchange exchange, Instant now,
            Instant expiresAt) {
        List<QuotaExchange.Ask> asks = exchange.asks();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < asks.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> !QuotaExchange.BUDGET.equals(asks.get(i).kind()))
                .thenComparing(i -> new CounterKey(asks.get(i).scope() + "\u0000" + asks.get(i).kind(),
                        asks.get(i).windowStart())));
        QuotaAnswer.Grant[] answers = new QuotaAnswer.Grant[asks.size()];
        return Multi.createFrom().iterable(order)
                .onItem().transformToUniAndConcatenate(i -> {
                    QuotaExchange.Ask ask = asks.get(i);
                    Uni<QuotaAnswer.Grant> grant = QuotaExchange.BUDGET.equals(ask.kind())
                            ? budget(conn, exchange.routerId(), ask, now, expiresAt)
                            : rate(conn, ask);
                    return grant.invoke(g -> answers[i] = g);
                })
                .collect().last()
                .map(ignored -> List.of(answers));
    }

    private Uni<QuotaAnswer.Grant> budget(SqlConnection conn, String routerId, QuotaExchange.Ask ask, Instant now,
            Instant expiresAt) {
        CounterKey key = new CounterKey(ask.scope(), ask.windowStart());
        return repository.budget(conn, key, routerId, now).chain(budget -> {
            BigDecimal granted = share(ask, ask.limit().subtract(budget.committed()), budget.otherRouters());
            String leaseId = granted.signum() <= 0 ? null
                    : ask.leaseId() == null ? UUID.randomUUID().toString() : ask.leaseId().toLowerCase();
            return repository.grant(conn, key, ask.limit(), granted, leaseId, routerId, now, expiresAt)
                    .map(committed -> committed == null
                            // the router named a lease id the store has seen before: nothing granted
                            ? new QuotaAnswer.Grant(ask.ref(), null, BigDecimal.ZERO, budget.committed(), null,
                                    budget.outstanding())
                            : new QuotaAnswer.Grant(ask.ref(), leaseId, granted, committed,
                                    leaseId == null ? null : expiresAt, budget.outstanding()));
        });
    }

    private Uni<QuotaAnswer.Grant> rate(SqlConnection conn, QuotaExchange.Ask ask) {
        return repository.rateGranted(conn, ask.scope(), ask.kind(), ask.windowStart()).chain(sofar -> {
            BigDecimal free = ask.limit().subtract(sofar);
            BigDecimal granted = ask.need().compareTo(free) > 0 ? BigDecimal.ZERO : ask.want().min(free);
            Uni<BigDecimal> total = granted.signum() > 0
                    ? repository.rateAdd(conn, ask.scope(), ask.kind(), ask.windowStart(), granted)
                    : Uni.createFrom().item(sofar);
            return total.map(committed -> new QuotaAnswer.Grant(ask.ref(), null, granted, committed, null));
        });
    }

    /**
     * What a budget ask gets of {@code free}: nothing when its need does not fit; else its share,
     * {@code free / (2 n + 1)} cut to {@link #GRANT_SCALE} places, raised to its need and capped at its want.
     */
    static BigDecimal share(QuotaExchange.Ask ask, BigDecimal free, long otherRouters) {
        if (ask.need().compareTo(free) > 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal share = free.divide(BigDecimal.valueOf(2 * otherRouters + 1), GRANT_SCALE, RoundingMode.DOWN);
        return ask.want().min(ask.need().max(share));
    }

    /** Counted once the transaction committed (a retried one is not counted twice). */
    private void count(QuotaExchange exchange, QuotaAnswer answer) {
        metrics.expired(answer.expired().size());
        for (int i = 0; i < answer.grants().size(); i++) {
            QuotaExchange.Ask ask = exchange.asks().get(i);
            if (answer.grants().get(i).granted().signum() > 0) {
                metrics.granted(ask.kind());
            } else if (ask.want().signum() > 0) {
                metrics.refused(ask.kind());
            }
        }
    }
}
