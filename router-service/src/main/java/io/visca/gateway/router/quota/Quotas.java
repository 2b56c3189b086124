package io.visca.gateway.router.quota;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.visca.gateway.contracts.provider.BudgetPeriod;
import io.visca.gateway.contracts.provider.GatewayKey;
import io.visca.gateway.contracts.provider.GatewayTeam;
import io.visca.gateway.contracts.provider.KeyLimits;
import io.visca.gateway.contracts.quota.QuotaAnswer;
import io.visca.gateway.contracts.quota.QuotaExchange;
import io.visca.gateway.router.config.RouterConfig;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.GatewayError;

/**
 * Admission of requests of keys and teams with budgets or rate limits. The quota store (billing) is the authority;
 * this router holds slices of each limit it lent (budget leases, rate grants per UTC minute) and admits a request
 * when its slices have room, so a request waits for the store only when they have none. Everything granted across
 * all routers never exceeds a limit: what a router holds was counted by the store when it lent it.
 *
 * <p>
 * When the store cannot be reached, keys go on using what this router holds (a lease until it expires, a rate grant
 * until its minute ends); a request that needs more fails closed with 503 {@code quota_store_unavailable}.
 */
@Singleton
public class Quotas {

    private static final Logger LOG = Logger.getLogger(Quotas.class);
    /** How soon a request waiting for other leases to come back is asked for again. */
    private static final long RETRY_MILLIS = 250;
    private static final String[] RATE_KINDS = { QuotaExchange.REQUESTS, QuotaExchange.TOKENS };

    private final QuotaStore store;
    private final RouterConfig.Quota config;
    private final Vertx vertx;
    private final RateAsks rateAsks;
    private final Map<String, BudgetPool> budgets = new ConcurrentHashMap<>();
    private final Map<String, RatePool> rates = new ConcurrentHashMap<>();
    private long timer = -1;

    Quotas(QuotaStore store, RouterConfig config, Vertx vertx) {
        this.store = store;
        this.config = config.quota();
        this.vertx = vertx;
        this.rateAsks = new RateAsks(store, this.config.rateChunk());
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.tick().toMillis(), id -> upkeep());
    }

    /** Gives back every lease nothing runs against, so other routers can use the budget at once. */
    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        List<QuotaExchange.Release> releases = new ArrayList<>();
        budgets.values().forEach(pool -> releases.addAll(pool.releaseIdle()));
        if (!releases.isEmpty() || store.releasesPending()) {
            try {
                store.exchange(releases, List.of(), List.of()).toCompletionStage()
                        .toCompletableFuture().get(config.storeTimeout().toMillis(),
                                java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warnf("could not give back %d budget leases at shutdown (%s): the store reclaims them after "
                        + "they expire", releases.size(), e.getMessage());
            }
        }
    }

    /** Whether requests of this key need admission at all. */
    public static boolean limited(GatewayKey key, GatewayTeam team) {
        return key.limits().any() || team != null && team.limits().any();
    }

    /**
     * Reserves what the request may use in every limit of its key and team.
     *
     * @param maxCost the most the request can cost (its prompt bound and completion cap at the highest price among
     *        its candidates); zero for unpriced models, which no budget limits
     * @param tokens the request's estimated prompt tokens plus its completion cap (only read for a token rate)
     * @return the admission, to settle when the request ends; failed with 429 {@code rate_limit_exceeded} or
     *         {@code budget_exceeded}, or 503 {@code quota_store_unavailable}
     */
    public Future<Admission> admit(GatewayKey key, GatewayTeam team, BigDecimal maxCost, long tokens) {
        if (!limited(key, team)) {
            return Future.succeededFuture(Admission.NONE);
        }
        Instant now = Instant.now();
        Admission admission = new Admission();
        KeyLimits own = key.limits();
        KeyLimits shared = team == null ? KeyLimits.NONE : team.limits();
        String keyScope = "key:" + key.id();
        String teamScope = team == null ? null : "team:" + team.name();
        Future<Void> chain = rate(admission, keyScope, QuotaExchange.REQUESTS, own.requestsPerMinute(), 1, now)
                .compose(v -> rate(admission, teamScope, QuotaExchange.REQUESTS, shared.requestsPerMinute(), 1, now))
                .compose(v -> rate(admission, keyScope, QuotaExchange.TOKENS, own.tokensPerMinute(), tokens, now))
                .compose(v -> rate(admission, teamScope, QuotaExchange.TOKENS, shared.tokensPerMinute(), tokens, now))
                .compose(v -> budget(admission, keyScope, own, maxCost, now))
                .compose(v -> budget(admission, teamScope, shared, maxCost, now));
        return chain.transform(done -> {
            if (done.failed()) {
                admission.cancel();
                return Future.failedFuture(done.cause());
            }
            return Future.succeededFuture(admission);
        });
    }

    private Future<Void> rate(Admission admission, String scope, String kind, Integer limit, long amount,
            Instant now) {
        if (scope == null || limit == null) {
            return Future.succeededFuture();
        }
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        RatePool pool = rates.computeIfAbsent(scope + '|' + kind + '@' + minute.getEpochSecond(),
                k -> new RatePool(scope, kind, minute, limit));
        long wanted = Math.min(amount, limit); // a request bigger than the whole limit still passes an empty minute
        boolean tokens = QuotaExchange.TOKENS.equals(kind);
        if (pool.tryTake(wanted)) {
            admission.hold(pool, wanted, tokens);
            if (pool.runsLow(rateAsks.chunk(limit))) {
                askRate(pool);
            }
            return Future.succeededFuture();
        }
        if (pool.exhausted()) {
            return Future.failedFuture(rateLimited(pool));
        }
        if (store.down()) {
            return Future.failedFuture(unavailable());
        }
        Promise<Boolean> waiting = Promise.promise();
        if (pool.enqueue(new Waiting<>(wanted, waiting, vertx.getOrCreateContext()))) {
            askRate(pool);
        }
        return waiting.future().map(ok -> {
            admission.hold(pool, wanted, tokens);
            return null;
        });
    }

    private Future<Void> budget(Admission admission, String scope, KeyLimits limits, BigDecimal maxCost,
            Instant now) {
        if (scope == null || limits.maxBudgetUsd() == null || maxCost.signum() <= 0) {
            return Future.succeededFuture();
        }
        BudgetPeriod period = period(limits);
        Instant start = period.start(now);
        BigDecimal limit = limits.maxBudgetUsd();
        BudgetPool pool = budgets.computeIfAbsent(scope + '@' + start.getEpochSecond(),
                k -> new BudgetPool(scope, period, start, limit));
        BudgetPool.Lease lease = pool.tryReserve(maxCost, limit, now);
        if (lease != null) {
            admission.hold(pool, lease, maxCost);
            if (pool.runsLow(slice(limit), now)) {
                askBudget(pool);
            }
            return Future.succeededFuture();
        }
        if (maxCost.compareTo(limit) > 0) {
            return Future.failedFuture(budgetExceeded("The request may cost up to $" + plain(maxCost)
                    + ", more than the whole budget of $" + plain(limit) + "; send a smaller max_tokens or prompt."));
        }
        if (store.down()) {
            return Future.failedFuture(unavailable());
        }
        Promise<BudgetPool.Lease> waiting = Promise.promise();
        if (pool.enqueue(new Waiting<>(maxCost, waiting, vertx.getOrCreateContext()))) {
            askBudget(pool);
        }
        return waiting.future().map(held -> {
            admission.hold(pool, held, maxCost);
            return null;
        });
    }

    private void askBudget(BudgetPool pool) {
        List<QuotaExchange.Release> releases = pool.releaseIdle();
        QuotaExchange.Ask ask = pool.ask("b", slice(pool.limitNow()));
        store.exchange(releases, List.of(), List.of(ask)).onComplete(answer -> {
            boolean later = false;
            if (answer.succeeded() && answer.result().grants().size() == 1) {
                List<Waiting<BudgetPool.Lease, BigDecimal>> admitted = new ArrayList<>();
                List<BudgetPool.Lease> leases = new ArrayList<>();
                List<Waiting<BudgetPool.Lease, BigDecimal>> refused = new ArrayList<>();
                later = pool.granted(answer.result().grants().get(0), Instant.now(), config.maxWait().toNanos(),
                        admitted, leases, refused);
                for (int i = 0; i < admitted.size(); i++) {
                    admitted.get(i).complete(leases.get(i));
                }
                refused.forEach(request -> request.fail(budgetExceeded("The " + describe(pool.scope)
                        + " has no room left for this request's maximum cost ($" + plain(request.amount())
                        + ") in its " + pool.period.wireName() + " budget of $" + plain(pool.limitNow()) + ".")));
            } else {
                pool.failed().forEach(request -> request.fail(unavailable()));
            }
            if (later) {
                // the first waiting request may fit once other requests' leases come back: ask again shortly
                vertx.setTimer(RETRY_MILLIS, id -> {
                    if (pool.askForWaiting()) {
                        askBudget(pool);
                    }
                });
            } else if (pool.askForWaiting()) {
                askBudget(pool);
            }
        });
    }

    private void askRate(RatePool pool) {
        rateAsks.ask(pool, Quotas::rateLimited,
                (failed, waiting) -> waiting.forEach(request -> request.fail(unavailable())));
    }

    /** Every tick: give back what is not needed, hold on what expires soon, forget finished windows. */
    void upkeep() {
        Instant now = Instant.now();
        long idle = config.idleRelease().toNanos();
        List<QuotaExchange.Release> releases = new ArrayList<>();
        Map<BudgetPool, List<String>> held = new java.util.HashMap<>();
        budgets.forEach((name, pool) -> {
            boolean current = pool.windowStart.equals(pool.period.start(now));
            BudgetPool.Upkeep upkeep = pool.upkeep(now, idle, current);
            releases.addAll(upkeep.releases());
            if (!upkeep.held().isEmpty()) {
                held.put(pool, upkeep.held());
            }
            if (!current && pool.empty()) {
                budgets.remove(name, pool);
            }
        });
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        rates.entrySet().removeIf(entry -> entry.getValue().windowStart.isBefore(minute) && entry.getValue().idle());
        if (releases.isEmpty() && held.isEmpty() && !store.releasesPending()) {
            return;
        }
        List<String> holding = new ArrayList<>();
        held.values().forEach(holding::addAll);
        store.exchange(releases, holding, List.of()).onComplete(answer -> {
            if (answer.failed()) {
                return; // the releases go again with the next exchange (QuotaStore)
            }
            QuotaAnswer result = answer.result();
            held.forEach((pool, ids) -> {
                pool.heldOn(ids, now);
                pool.lost(result.expired());
            });
        });
    }

    /** Sets OpenAI's {@code x-ratelimit-*} headers of the key's tightest request and token rates (if it has any). */
    public void rateHeaders(GatewayKey key, GatewayTeam team, io.vertx.core.http.HttpServerResponse response) {
        Instant now = Instant.now();
        long minute = now.truncatedTo(ChronoUnit.MINUTES).getEpochSecond();
        String reset = (60 - now.getEpochSecond() % 60) + "s";
        for (String kind : RATE_KINDS) {
            Integer keyLimit = QuotaExchange.REQUESTS.equals(kind) ? key.limits().requestsPerMinute()
                    : key.limits().tokensPerMinute();
            Integer teamLimit = team == null ? null
                    : QuotaExchange.REQUESTS.equals(kind) ? team.limits().requestsPerMinute()
                            : team.limits().tokensPerMinute();
            long limit = -1;
            long remaining = Long.MAX_VALUE;
            if (keyLimit != null) {
                limit = keyLimit;
                remaining = remaining("key:" + key.id(), kind, minute, keyLimit);
            }
            if (teamLimit != null) {
                long left = remaining("team:" + team.name(), kind, minute, teamLimit);
                if (left < remaining) {
                    limit = teamLimit;
                    remaining = left;
                }
            }
            if (limit >= 0) {
                response.putHeader("x-ratelimit-limit-" + kind, Long.toString(limit))
                        .putHeader("x-ratelimit-remaining-" + kind, Long.toString(remaining))
                        .putHeader("x-ratelimit-reset-" + kind, reset);
            }
        }
    }

    private long remaining(String scope, String kind, long minute, long limit) {
        RatePool pool = rates.get(scope + '|' + kind + '@' + minute);
        return pool == null ? limit : pool.remaining();
    }

    private BigDecimal slice(BigDecimal limit) {
        return limit.multiply(BigDecimal.valueOf(config.budgetSlice())).setScale(10, RoundingMode.DOWN);
    }

    static BudgetPeriod period(KeyLimits limits) {
        BudgetPeriod period = BudgetPeriod.of(limits.budgetPeriod());
        return period == null ? BudgetPeriod.MONTH : period;
    }

    private static GatewayError budgetExceeded(String message) {
        return new GatewayError(Failure.BUDGET_EXCEEDED, message);
    }

    private static GatewayError rateLimited(RatePool pool) {
        long retryAfter = Math.max(1, pool.windowStart.getEpochSecond() + 60 - Instant.now().getEpochSecond());
        return new GatewayError(Failure.KEY_RATE_LIMITED, "Rate limit reached for " + describe(pool.scope) + ": "
                + pool.limit() + " " + pool.kind + " per minute. Try again in " + retryAfter + "s.", retryAfter);
    }

    private static GatewayError unavailable() {
        return new GatewayError(Failure.QUOTA_UNAVAILABLE, "The gateway cannot check this key's budget or rate "
                + "limits right now (its quota store is unreachable). Try again shortly.", 5);
    }

    private static String describe(String scope) {
        return scope.startsWith("team:") ? "team '" + scope.substring(5) + "'" : "this API key";
    }

    private static String plain(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }

    /** The upper bound of a request's cost at a model's prices (per 1,000 tokens); zero for an unpriced model. */
    public static BigDecimal maxCost(BigDecimal per1kInput, BigDecimal per1kOutput, long promptTokens,
            long completionTokens) {
        BigDecimal in = per1kInput == null ? BigDecimal.ZERO
                : per1kInput.multiply(BigDecimal.valueOf(promptTokens)).movePointLeft(3);
        BigDecimal out = per1kOutput == null ? BigDecimal.ZERO
                : per1kOutput.multiply(BigDecimal.valueOf(completionTokens)).movePointLeft(3);
        return in.add(out);
    }

}
