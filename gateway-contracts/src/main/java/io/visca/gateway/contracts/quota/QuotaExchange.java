package io.visca.gateway.contracts.quota;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One router's call to the quota store ({@code POST /internal/quota}, billing, service token): what it gives back,
 * what it still holds, and what it asks for, handled in that order in one transaction per scope, so that a release
 * and an ask in the same call can reuse the released amount. The store answers with a {@link QuotaAnswer}.
 *
 * <p>
 * Budgets are lent as <em>leases</em>: a router spends a lease's amount on requests it admits (reserving each
 * request's maximum cost, then keeping its real cost) and releases it with what it really used; the store counts
 * every lease at its full amount until then, so all leases of a scope together never exceed its limit. Rates
 * (requests and tokens per UTC minute) are plain grants within the minute: what a router does not use by the
 * minute's end is lost.
 *
 * @param routerId the asking router instance (random per process)
 * @param releases budget leases given back
 * @param held budget leases still in use: each is extended by the store's lease time
 * @param asks what the router needs now
 */
public record QuotaExchange(String routerId, List<Release> releases, List<String> held, List<Ask> asks) {

    public QuotaExchange {
        releases = releases == null ? List.of() : List.copyOf(releases);
        held = held == null ? List.of() : List.copyOf(held);
        asks = asks == null ? List.of() : List.copyOf(asks);
    }

    /** The kinds of quota. */
    public static final String BUDGET = "budget";
    public static final String REQUESTS = "requests";
    public static final String TOKENS = "tokens";

    /**
     * @param leaseId a lease this router holds
     * @param used the real cost of every request admitted under the lease (all of them have ended); may exceed the
     *        lease's amount only when a request cost more than its reservation
     */
    public record Release(String leaseId, BigDecimal used) {
    }

    /**
     * @param ref the router's name for this ask, echoed in the grant
     * @param scope {@code key:<key id>}, {@code team:<team name>} or {@code provider:<provider name>}
     * @param kind {@link #BUDGET} (USD), {@link #REQUESTS} or {@link #TOKENS}
     * @param windowStart the budget period's start ({@code BudgetPeriod.start}) or the UTC minute's
     * @param limit the scope's limit in that window, as the router's snapshot says (the store keeps no policy)
     * @param need what must be granted in full for the router to admit the request it has waiting; zero when it
     *        asks ahead of need
     * @param want the most the router would like (its slice); the store grants between {@code need} and this,
     *        less when several routers share little room, and nothing when not even {@code need} fits
     * @param leaseId a budget ask's: the id the lease gets if one is granted (a UUID the router chose), so that a
     *        router that never got the answer (a timeout while the store was stalled) can give the lease back by it;
     *        null: the store chooses. The store grants nothing under an id it has seen before
     */
    public record Ask(String ref, String scope, String kind, Instant windowStart, BigDecimal limit, BigDecimal need,
            BigDecimal want, String leaseId) {

        /** An ask without a lease id of the router's choosing (rates; budgets of callers that need not give back). */
        public Ask(String ref, String scope, String kind, Instant windowStart, BigDecimal limit, BigDecimal need,
                BigDecimal want) {
            this(ref, scope, kind, windowStart, limit, need, want, null);
        }
    }
}
