package io.visca.gateway.router.quota;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import io.visca.gateway.contracts.quota.QuotaAnswer;
import io.visca.gateway.contracts.quota.QuotaExchange;

/**
 * One budget (a key's or a team's, in one period) as this router holds it: the leases the quota store lent it, the
 * reservations of requests in flight against them, and the requests waiting for more. A request is admitted when a
 * usable lease has room for its maximum cost; it keeps its real cost when it ends. Leases are given back with what
 * was really used once nothing runs against them and they are not needed (idle, superseded, expiring). Thread-safe:
 * every method holds the pool's lock for a few field updates, never for I/O.
 */
final class BudgetPool extends AskingPool<BudgetPool.Lease, BigDecimal> {

    /** A lease is not used in its last seconds: its renewal may be late. */
    private static final long EXPIRY_MARGIN_SECONDS = 5;
    /** Leases expiring sooner than this are held on at the next tick. */
    private static final long HOLD_WITHIN_SECONDS = 30;

    static final class Lease {
        final String id;
        final BigDecimal amount;
        BigDecimal reserved = BigDecimal.ZERO;
        BigDecimal used = BigDecimal.ZERO;
        int inflight;
        Instant expiresAt;
        /** How long the store lends it for: a hold-on extends it by this from when it was sent. */
        final java.time.Duration term;
        /** The store no longer counts it (it expired there): nothing more is admitted under it, nothing released. */
        boolean lost;

        Lease(String id, BigDecimal amount, Instant expiresAt, Instant now) {
            this.id = id;
            this.amount = amount;
            this.expiresAt = expiresAt;
            this.term = java.time.Duration.between(now, expiresAt);
        }

        BigDecimal free() {
            return amount.subtract(reserved).subtract(used);
        }

        boolean usable(Instant now) {
            return !lost && now.isBefore(expiresAt.minusSeconds(EXPIRY_MARGIN_SECONDS));
        }
    }

    /** What a tick found to do: leases to give back and leases to hold on. */
    record Upkeep(List<QuotaExchange.Release> releases, List<String> held) {
    }

    final String scope;
    final io.visca.gateway.contracts.provider.BudgetPeriod period;
    final Instant windowStart;
    private BigDecimal limit;
    private final List<Lease> leases = new ArrayList<>();
    private BigDecimal committed = BigDecimal.ZERO;
    private long lastActivityNanos = System.nanoTime();

    BudgetPool(String scope, io.visca.gateway.contracts.provider.BudgetPeriod period, Instant windowStart,
            BigDecimal limit) {
        this.scope = scope;
        this.period = period;
        this.windowStart = windowStart;
        this.limit = limit;
    }

    synchronized BigDecimal limitNow() {
        return limit;
    }

    /** @return the lease now holding {@code amount} for the request, or null when none has room */
    synchronized Lease tryReserve(BigDecimal amount, BigDecimal limit, Instant now) {
        this.limit = limit;
        lastActivityNanos = System.nanoTime();
        return reserveLocked(amount, now);
    }

    /** @return true when the pool runs low and the caller should ask ahead of need (no ask is in flight) */
    synchronized boolean runsLow(BigDecimal slice, Instant now) {
        if (asking || !waiting.isEmpty()) {
            return false;
        }
        BigDecimal free = BigDecimal.ZERO;
        for (Lease lease : leases) {
            if (lease.usable(now)) {
                free = free.add(lease.free());
            }
        }
        return free.multiply(BigDecimal.valueOf(2)).compareTo(slice) < 0 && startAsk();
    }

    /**
     * The ask of an exchange: the first waiting request's cost as {@code need} (zero when asking ahead), and a slice
     * (at least what every waiting request needs) as {@code want}.
     */
    synchronized QuotaExchange.Ask ask(String ref, BigDecimal slice) {
        askedFor = waiting.peek();
        BigDecimal need = askedFor == null ? BigDecimal.ZERO : askedFor.amount();
        BigDecimal want = slice;
        BigDecimal all = BigDecimal.ZERO;
        for (Waiting<Lease, BigDecimal> request : waiting) {
            all = all.add(request.amount());
        }
        want = want.max(all).max(need).min(limit.max(need));
        // the lease's id is this router's choice: were the answer lost, the lease can be given back by it
        return new QuotaExchange.Ask(ref, scope, QuotaExchange.BUDGET, windowStart, limit, need, want,
                UUID.randomUUID().toString());
    }

    /** Leases nothing runs against, given back with what they used (before an ask: their room is too small). */
    synchronized List<QuotaExchange.Release> releaseIdle() {
        List<QuotaExchange.Release> releases = new ArrayList<>();
        for (Iterator<Lease> it = leases.iterator(); it.hasNext();) {
            Lease lease = it.next();
            if (lease.inflight == 0) {
                it.remove();
                if (!lease.lost) {
                    releases.add(new QuotaExchange.Release(lease.id, lease.used));
                }
            }
        }
        return releases;
    }

    /**
     * The store's grant: keeps the new lease and admits the waiting requests that now fit, in order. When the store
     * granted nothing, the first waiting request's cost does not fit the budget now: it is refused, unless it would fit
     * once the open leases (of every router) are given back and it has waited less than {@code maxWaitNanos}.
     *
     * @param admitted filled with the requests admitted (each with its lease)
     * @param refused filled with the request refused
     * @return true when the first request waits for leases to come back: the caller asks again a little later
     */
    synchronized boolean granted(QuotaAnswer.Grant grant, Instant now, long maxWaitNanos,
            List<Waiting<Lease, BigDecimal>> admitted, List<Lease> admittedLeases,
            List<Waiting<Lease, BigDecimal>> refused) {
        boolean waitForReturns = false;
        Waiting<Lease, BigDecimal> asked = answered();
        if (grant.committed() != null) {
            committed = grant.committed();
        }
        boolean nothing = grant.leaseId() == null || grant.granted() == null || grant.granted().signum() <= 0;
        if (!nothing) {
            leases.add(new Lease(grant.leaseId(), grant.granted(), grant.expiresAt(), now));
        }
        while (!waiting.isEmpty()) {
            Waiting<Lease, BigDecimal> next = waiting.peek();
            Lease lease = reserveLocked(next.amount(), now);
            if (lease != null) {
                waiting.poll();
                admitted.add(next);
                admittedLeases.add(lease);
            } else if (nothing && next == asked) {
                if (mayComeBack(grant, next.amount()) && System.nanoTime() - next.sinceNanos() < maxWaitNanos) {
                    waitForReturns = true; // leases other requests hold may leave room for it once released
                    break;
                }
                waiting.poll();
                refused.add(next);
            } else {
                break;
            }
        }
        return waitForReturns;
    }

    /** Whether the request would fit if every open lease came back with nothing more used. */
    private boolean mayComeBack(QuotaAnswer.Grant grant, BigDecimal need) {
        if (grant.outstanding() == null || grant.committed() == null || grant.outstanding().signum() <= 0) {
            return false;
        }
        return limit.subtract(grant.committed().subtract(grant.outstanding())).compareTo(need) >= 0;
    }

    private Lease reserveLocked(BigDecimal amount, Instant now) {
        for (int i = leases.size() - 1; i >= 0; i--) {
            Lease lease = leases.get(i);
            if (lease.usable(now) && lease.free().compareTo(amount) >= 0) {
                lease.reserved = lease.reserved.add(amount);
                lease.inflight++;
                return lease;
            }
        }
        return null;
    }

    /** A request under {@code lease} ended: its reservation becomes its real cost. */
    synchronized void settle(Lease lease, BigDecimal reserved, BigDecimal cost) {
        lease.reserved = lease.reserved.subtract(reserved);
        lease.used = lease.used.add(cost);
        lease.inflight--;
        lastActivityNanos = System.nanoTime();
    }

    /** The store says these leases are no longer held (expired there). */
    synchronized void lost(List<String> ids) {
        for (Lease lease : leases) {
            if (ids.contains(lease.id)) {
                lease.lost = true;
            }
        }
    }

    /**
     * Periodic upkeep: gives back leases nothing runs against when the pool is idle, the window is over, or a newer
     * lease superseded them; holds on leases that expire soon.
     *
     * @param current whether this pool's window is the budget's current period
     */
    synchronized Upkeep upkeep(Instant now, long idleNanos, boolean current) {
        boolean idle = System.nanoTime() - lastActivityNanos >= idleNanos;
        List<QuotaExchange.Release> releases = new ArrayList<>();
        List<String> held = new ArrayList<>();
        Lease newest = leases.isEmpty() ? null : leases.get(leases.size() - 1);
        for (Iterator<Lease> it = leases.iterator(); it.hasNext();) {
            Lease lease = it.next();
            boolean done = idle || !current || lease != newest || !lease.usable(now)
                    || lease.free().signum() <= 0;
            if (lease.inflight == 0 && (done || lease.lost)) {
                it.remove();
                if (!lease.lost) {
                    releases.add(new QuotaExchange.Release(lease.id, lease.used));
                }
            } else if (!lease.lost && lease.expiresAt.isBefore(now.plusSeconds(HOLD_WITHIN_SECONDS))) {
                held.add(lease.id);
            }
        }
        return new Upkeep(releases, held);
    }

    /** Whether the pool holds nothing and nobody waits: it can be forgotten once its window is over. */
    synchronized boolean empty() {
        return leases.isEmpty() && quiet();
    }

    /** The store held these leases on, as asked at {@code sentAt}: each runs its term again from then. */
    synchronized void heldOn(List<String> ids, Instant sentAt) {
        for (Lease lease : leases) {
            if (ids.contains(lease.id) && !lease.lost) {
                lease.expiresAt = sentAt.plus(lease.term);
            }
        }
    }

    /** What the budget has left as far as this router knows: the limit less everything committed, plus its room. */
    synchronized BigDecimal remaining(Instant now) {
        BigDecimal free = BigDecimal.ZERO;
        for (Lease lease : leases) {
            if (lease.usable(now)) {
                free = free.add(lease.free());
            }
        }
        return limit.subtract(committed).add(free).max(BigDecimal.ZERO).setScale(10, RoundingMode.DOWN);
    }
}
