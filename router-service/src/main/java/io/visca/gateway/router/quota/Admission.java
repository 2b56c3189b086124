package io.visca.gateway.router.quota;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What a request holds of its key's and team's quotas while it runs: a reservation of its maximum cost in each
 * budget, one request and its estimated tokens in each rate. {@link #settle} turns them into what it really cost
 * (once, when it ends); {@link #cancel} gives them back when it was not served.
 */
public final class Admission {

    /** The admission of a request whose key and team have no limits. */
    public static final Admission NONE = new Admission();

    private record BudgetHold(BudgetPool pool, BudgetPool.Lease lease, BigDecimal reserved) {
    }

    private record RateHold(RatePool pool, long reserved, boolean tokens) {
    }

    private final List<BudgetHold> budgets = new ArrayList<>(2);
    private final List<RateHold> rates = new ArrayList<>(4);
    private boolean settled;

    Admission() {
    }

    synchronized void hold(BudgetPool pool, BudgetPool.Lease lease, BigDecimal reserved) {
        budgets.add(new BudgetHold(pool, lease, reserved));
    }

    synchronized void hold(RatePool pool, long reserved, boolean tokens) {
        rates.add(new RateHold(pool, reserved, tokens));
    }

    /** The budget leases the request runs under, for its usage event (the ledger settles them with its cost). */
    public synchronized List<String> leaseIds() {
        if (budgets.isEmpty()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(budgets.size());
        budgets.forEach(hold -> ids.add(hold.lease().id));
        return ids;
    }

    /**
     * The request ended (served or not): each budget keeps its real cost instead of the reservation, each token rate
     * its real tokens. Only the first call counts.
     *
     * @param cost the request's cost, null when unpriced or nothing was served
     * @param tokens prompt and completion tokens it used
     */
    public synchronized void settle(BigDecimal cost, long tokens) {
        if (settled || this == NONE) {
            return;
        }
        settled = true;
        BigDecimal real = cost == null ? BigDecimal.ZERO : cost;
        budgets.forEach(hold -> hold.pool().settle(hold.lease(), hold.reserved(), real));
        rates.forEach(hold -> {
            if (hold.tokens()) {
                hold.pool().adjust(tokens - hold.reserved());
            }
        });
    }

    /** The request was refused or never sent: every reservation and request is given back. */
    synchronized void cancel() {
        if (settled || this == NONE) {
            return;
        }
        settled = true;
        budgets.forEach(hold -> hold.pool().settle(hold.lease(), hold.reserved(), BigDecimal.ZERO));
        rates.forEach(hold -> hold.pool().adjust(-hold.reserved()));
    }
}
