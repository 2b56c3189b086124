package io.visca.gateway.router.quota;

import java.time.Instant;
import java.util.List;

import io.visca.gateway.contracts.quota.QuotaAnswer;
import io.visca.gateway.contracts.quota.QuotaExchange;

/**
 * One rate (a key's or a team's requests or tokens) in one UTC minute as this router holds it: what the quota store
 * granted it in the minute and what it has taken. What is left at the minute's end is lost (the next minute starts
 * from zero everywhere). Thread-safe like {@link BudgetPool}.
 */
final class RatePool extends AskingPool<Boolean, Long> {

    final String scope;
    final String kind;
    final Instant windowStart;
    private final long limit;
    private long granted;
    private long taken;
    /** Everything granted in the minute to every router, as the store last said. */
    private long committed;
    /** What this router may take in the minute while the store cannot be reached (a provider's rate only). */
    private long outageAllowance;

    RatePool(String scope, String kind, Instant windowStart, long limit) {
        this.scope = scope;
        this.kind = kind;
        this.windowStart = windowStart;
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    /** @return whether {@code amount} was taken from what this router holds */
    synchronized boolean tryTake(long amount) {
        if (granted - taken >= amount) {
            taken += amount;
            return true;
        }
        return false;
    }

    /**
     * Whether the whole limit of the minute is granted (to this router or others) and this router holds none of it:
     * nothing more can come until the minute ends (rates are never given back), so a request is refused at once.
     */
    synchronized boolean exhausted() {
        return committed >= limit && granted - taken <= 0;
    }

    synchronized void outageAllowance(long allowance) {
        outageAllowance = allowance;
    }

    /** While the store cannot be reached: takes {@code amount} if the minute's takings stay within the allowance. */
    synchronized boolean tryTakeInOutage(long amount) {
        if (taken + amount <= Math.max(granted, outageAllowance)) {
            taken += amount;
            return true;
        }
        return false;
    }

    /** What the store granted this router in the minute. */
    synchronized long granted() {
        return granted;
    }

    /** Gives back what a request reserved beyond what it used (tokens), or takes what it used beyond it. */
    synchronized void adjust(long delta) {
        taken += delta;
    }

    /** @return true when little is left and the caller should ask ahead of need (no ask is in flight) */
    synchronized boolean runsLow(long chunk) {
        if (!waiting.isEmpty() || committed >= limit || (granted - taken) * 2 >= chunk) {
            return false;
        }
        return startAsk();
    }

    synchronized QuotaExchange.Ask ask(String ref, long chunk) {
        long held = Math.max(0, granted - taken);
        askedFor = waiting.peek();
        long need = askedFor == null ? 0 : Math.max(0, askedFor.amount() - held);
        long all = 0;
        for (Waiting<Boolean, Long> request : waiting) {
            all += request.amount();
        }
        long want = Math.min(limit, Math.max(Math.max(chunk, need), all - held));
        return new QuotaExchange.Ask(ref, scope, kind, windowStart, java.math.BigDecimal.valueOf(limit),
                java.math.BigDecimal.valueOf(need), java.math.BigDecimal.valueOf(Math.max(want, need)));
    }

    /**
     * As {@link BudgetPool#granted}: admits the waiting requests that now fit; refuses the first when none came, and
     * every one that does not fit once the whole limit of the minute is granted.
     */
    synchronized void granted(QuotaAnswer.Grant grant, List<Waiting<Boolean, Long>> admitted,
            List<Waiting<Boolean, Long>> refused) {
        Waiting<Boolean, Long> asked = answered();
        long got = grant.granted() == null ? 0 : grant.granted().longValue();
        granted += got;
        if (grant.committed() != null) {
            committed = Math.max(committed, grant.committed().longValue());
        }
        while (!waiting.isEmpty()) {
            Waiting<Boolean, Long> next = waiting.peek();
            if (granted - taken >= next.amount()) {
                taken += next.amount();
                waiting.poll();
                admitted.add(next);
            } else if (got == 0 && next == asked || committed >= limit) {
                waiting.poll();
                refused.add(next);
            } else {
                break;
            }
        }
    }

    synchronized boolean idle() {
        return quiet();
    }

    /** What is left in the minute as far as this router knows: the limit less all granted, plus what it holds. */
    synchronized long remaining() {
        return Math.max(0, Math.min(limit, limit - Math.max(committed, granted) + Math.max(0, granted - taken)));
    }
}
