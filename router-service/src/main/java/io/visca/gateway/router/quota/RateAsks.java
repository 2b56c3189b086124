package io.visca.gateway.router.quota;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.visca.gateway.contracts.quota.QuotaExchange;
import io.visca.gateway.router.error.GatewayError;

/**
 * Asking the quota store for more of a rate in its minute (a key's, a team's or a provider's) on behalf of the
 * requests waiting on it, one ask in flight per rate. What a refusal or an unreachable store means differs by rate, so
 * the caller says.
 */
final class RateAsks {

    private final QuotaStore store;
    private final double chunkFraction;

    RateAsks(QuotaStore store, double chunkFraction) {
        this.store = store;
        this.chunkFraction = chunkFraction;
    }

    /** How much is asked for at least: a fraction of the limit, one at the least. */
    long chunk(long limit) {
        return Math.max(1, (long) Math.ceil(limit * chunkFraction));
    }

    /**
     * Asks for the pool's waiting requests (or ahead of need when none waits), and again while requests wait.
     *
     * @param refusal the error of a request the store refused
     * @param unreachable what becomes of the requests waiting when the store could not be asked
     */
    void ask(RatePool pool, Function<RatePool, GatewayError> refusal,
            BiConsumer<RatePool, List<Waiting<Boolean, Long>>> unreachable) {
        QuotaExchange.Ask ask = pool.ask("r", chunk(pool.limit()));
        store.exchange(List.of(), List.of(), List.of(ask)).onComplete(answer -> {
            if (answer.succeeded() && answer.result().grants().size() == 1) {
                List<Waiting<Boolean, Long>> admitted = new ArrayList<>();
                List<Waiting<Boolean, Long>> refused = new ArrayList<>();
                pool.granted(answer.result().grants().get(0), admitted, refused);
                admitted.forEach(request -> request.complete(Boolean.TRUE));
                refused.forEach(request -> request.fail(refusal.apply(pool)));
            } else {
                unreachable.accept(pool, pool.failed());
            }
            if (pool.askForWaiting()) {
                ask(pool, refusal, unreachable);
            }
        });
    }
}
