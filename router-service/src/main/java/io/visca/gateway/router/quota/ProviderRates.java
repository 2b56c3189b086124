package io.visca.gateway.router.quota;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.visca.gateway.contracts.quota.QuotaExchange;
import io.visca.gateway.router.config.RouterConfig;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.GatewayError;

/**
 * A provider's {@code rate_limit.requests_per_minute}, one limit across every router: each attempt on the provider
 * takes a slot of the UTC minute from what the quota store granted this router (scope {@code provider:<name>}, asked
 * for in chunks ahead of need, as a key's rate). A provider at its limit is skipped for the next candidate.
 *
 * <p>
 * While the store cannot be reached, a router goes on at the rate it was last granted in a minute (its share of the
 * limit, so all routers together stay near the limit), or at the whole limit when it has never been granted any (a
 * lone router): the limit protects the upstream, which would answer 429 itself, so its traffic is not stopped.
 */
@Singleton
public class ProviderRates {

    private static final Logger LOG = Logger.getLogger(ProviderRates.class);
    private static final Future<Void> ADMITTED = Future.succeededFuture();

    private final QuotaStore store;
    private final RateAsks asks;
    private final Vertx vertx;
    /** Each provider's rate in the current minute. */
    private final Map<String, RatePool> pools = new ConcurrentHashMap<>();
    /** What each provider's rate was granted to this router in the last minute it was granted any. */
    private final Map<String, Long> shares = new ConcurrentHashMap<>();

    ProviderRates(QuotaStore store, RouterConfig config, Vertx vertx) {
        this.store = store;
        this.asks = new RateAsks(store, config.quota().rateChunk());
        this.vertx = vertx;
    }

    /**
     * A slot for one attempt on the provider; failed with {@link Failure#PROVIDER_RATE_LIMITED} when the provider is
     * at its limit in this minute.
     *
     * @param requestsPerMinute the provider's limit
     */
    public Future<Void> slot(String provider, int requestsPerMinute) {
        RatePool pool = pool(provider, requestsPerMinute, Instant.now().truncatedTo(ChronoUnit.MINUTES));
        if (pool.tryTake(1)) {
            if (pool.runsLow(asks.chunk(pool.limit()))) {
                ask(pool);
            }
            return ADMITTED;
        }
        if (pool.exhausted()) {
            return Future.failedFuture(limited(pool));
        }
        if (store.down()) {
            return pool.tryTakeInOutage(1) ? ADMITTED : Future.failedFuture(limited(pool));
        }
        Promise<Boolean> waiting = Promise.promise();
        if (pool.enqueue(new Waiting<>(1L, waiting, vertx.getOrCreateContext()))) {
            ask(pool);
        }
        return waiting.future().mapEmpty();
    }

    private RatePool pool(String provider, int limit, Instant minute) {
        RatePool pool = pools.get(provider);
        if (pool != null && pool.windowStart.equals(minute) && pool.limit() == limit) {
            return pool;
        }
        return pools.compute(provider, (name, old) -> {
            if (old != null && old.windowStart.equals(minute) && old.limit() == limit) {
                return old;
            }
            if (old != null && old.granted() > 0) {
                shares.put(name, old.granted());
            }
            RatePool fresh = new RatePool("provider:" + name, QuotaExchange.REQUESTS, minute, limit);
            Long share = shares.get(name);
            fresh.outageAllowance(share == null ? limit : Math.min(limit, Math.max(asks.chunk(limit), share)));
            return fresh;
        });
    }

    private void ask(RatePool pool) {
        asks.ask(pool, ProviderRates::limited, ProviderRates::unreachable);
    }

    /** The store could not be asked: the waiting attempts go on within the router's outage allowance. */
    private static void unreachable(RatePool pool, List<Waiting<Boolean, Long>> waiting) {
        if (!waiting.isEmpty()) {
            LOG.debugf("the quota store is unreachable: %s goes on at this router's share of its limit", pool.scope);
        }
        for (Waiting<Boolean, Long> request : waiting) {
            if (pool.tryTakeInOutage(request.amount())) {
                request.complete(Boolean.TRUE);
            } else {
                request.fail(limited(pool));
            }
        }
    }

    private static GatewayError limited(RatePool pool) {
        long retryAfter = Math.max(1, pool.windowStart.getEpochSecond() + 60 - Instant.now().getEpochSecond());
        return new GatewayError(Failure.PROVIDER_RATE_LIMITED, "Provider '" + pool.scope.substring("provider:".length())
                + "' is at its requests_per_minute limit (" + pool.limit() + ").", retryAfter);
    }
}
