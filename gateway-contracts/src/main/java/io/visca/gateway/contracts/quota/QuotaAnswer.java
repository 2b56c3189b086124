package io.visca.gateway.contracts.quota;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The quota store's answer to a {@link QuotaExchange}: one grant per ask, in the asks' order.
 *
 * @param expired leases of the exchange's {@code held} or {@code releases} the store no longer knows as held (it
 *        reclaimed them after they expired): the router must stop admitting requests under them
 */
public record QuotaAnswer(List<Grant> grants, List<String> expired) {

    public QuotaAnswer {
        grants = grants == null ? List.of() : List.copyOf(grants);
        expired = expired == null ? List.of() : List.copyOf(expired);
    }

    /**
     * @param ref the ask's ref
     * @param leaseId the new budget lease; null for rate grants and when nothing was granted
     * @param granted what was granted: zero or between the ask's {@code need} and {@code want}
     * @param committed everything committed in the scope's window after this grant (budget: spent plus every
     *        lease still counted; rates: everything granted in the minute), for the remaining-quota a router shows
     * @param expiresAt when the lease ends unless the router holds it on (budget leases only); a router admits
     *        nothing under a lease after this instant
     * @param outstanding budget asks: what open leases (every router's, the asker's included, before this grant)
     *        hold beyond the cost already settled against them, the part of {@code committed} that may come back
     *        when they are released; a router whose request did not fit waits for it rather than refusing while
     *        {@code limit - (committed - outstanding)} would fit the request. Null for rates
     */
    public record Grant(String ref, String leaseId, BigDecimal granted, BigDecimal committed, Instant expiresAt,
            BigDecimal outstanding) {

        /** A grant without {@code outstanding} (rates). */
        public Grant(String ref, String leaseId, BigDecimal granted, BigDecimal committed, Instant expiresAt) {
            this(ref, leaseId, granted, committed, expiresAt, null);
        }
    }
}
