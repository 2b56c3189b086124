package io.visca.gateway.router.quota;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link BudgetPool} and {@link RatePool} share: the requests waiting for quota the router does not hold, and the
 * one ask of the quota store in flight for them. Subclasses hold the same lock ({@code this}) around every use.
 *
 * @param <T> what a waiting request is completed with
 * @param <A> the amount a request needs
 */
abstract class AskingPool<T, A> {

    protected final ArrayDeque<Waiting<T, A>> waiting = new ArrayDeque<>();
    protected boolean asking;
    /** The request whose amount the ask in flight gave as its need (null when asking ahead). */
    protected Waiting<T, A> askedFor;

    /** Queues a request; @return true when the caller must ask the store (no ask is in flight). */
    synchronized boolean enqueue(Waiting<T, A> request) {
        waiting.add(request);
        return startAsk();
    }

    /** @return true when requests wait and no ask is in flight: the caller must ask (and this one is in flight) */
    synchronized boolean askForWaiting() {
        return !waiting.isEmpty() && startAsk();
    }

    /** The store could not be asked: every waiting request fails (what the router holds stays usable). */
    synchronized List<Waiting<T, A>> failed() {
        answered();
        List<Waiting<T, A>> all = new ArrayList<>(waiting);
        waiting.clear();
        return all;
    }

    /** Marks an ask in flight unless one is; the caller holds the lock. */
    protected boolean startAsk() {
        if (asking) {
            return false;
        }
        asking = true;
        return true;
    }

    /** The ask in flight was answered; @return the request it was made for (null when asking ahead). */
    protected Waiting<T, A> answered() {
        asking = false;
        Waiting<T, A> asked = askedFor;
        askedFor = null;
        return asked;
    }

    /** Whether nothing waits and no ask is in flight. */
    protected boolean quiet() {
        return waiting.isEmpty() && !asking;
    }
}
