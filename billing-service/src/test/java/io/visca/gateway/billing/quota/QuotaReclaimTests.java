package io.visca.gateway.billing.quota;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.billing.quota.service.QuotaReclaimJob;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.QuotaApi;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.provider.BudgetPeriod;
import io.visca.gateway.contracts.quota.QuotaAnswer;
import io.visca.gateway.contracts.quota.QuotaExchange;

/**
 * What happens to leases their router stops holding (it crashed, or lost the store): once expired and past the grace
 * they are reclaimed, their charge drops to what the ledger billed under them, and a router naming them again learns
 * they are gone. Closed, settled leases are folded into their counter later; old rate windows are deleted.
 */
@QuarkusTest
class QuotaReclaimTests {

    /** The default lease time and grace ({@code billing.quota.*}). */
    private static final Duration EXPIRY_AND_GRACE = Duration.ofSeconds(60).plus(Duration.ofMinutes(15));

    @Inject
    QuotaReclaimJob job;

    @Test
    void aLeaseTheRouterNamedIsGivenBackByItsNameThoughTheRouterNeverHeardOfIt() {
        // a router's ask timed out while the store was stalled; the store granted it when it woke, to nobody
        String scope = "key:" + UsageEvents.unique("key");
        Instant window = BudgetPeriod.WEEK.start(Instant.now());
        String lease = java.util.UUID.randomUUID().toString();
        QuotaExchange.Ask ask = QuotaApi.budget("b", scope, window, "1", "0", "0.4");
        QuotaExchange.Ask named = new QuotaExchange.Ask(ask.ref(), ask.scope(), ask.kind(), ask.windowStart(),
                ask.limit(), ask.need(), ask.want(), lease);
        QuotaAnswer.Grant granted = QuotaApi.exchange(QuotaApi.asks("stalled-router", named)).grants().get(0);
        assertEquals(lease, granted.leaseId());
        assertEquals(0, new BigDecimal("0.4").compareTo(QuotaApi.counter(scope, window)[3]));

        QuotaAnswer.Grant again = QuotaApi.exchange(QuotaApi.asks("stalled-router", named)).grants().get(0);
        assertNull(again.leaseId(), "an id the store has seen is never granted twice");
        assertEquals(0, BigDecimal.ZERO.compareTo(again.granted()));
        assertEquals(0, new BigDecimal("0.4").compareTo(QuotaApi.counter(scope, window)[3]), "nothing more counted");

        QuotaAnswer released = QuotaApi.exchange(new QuotaExchange("stalled-router",
                List.of(new QuotaExchange.Release(lease, BigDecimal.ZERO)), List.of(), List.of()));
        assertEquals(List.of(), released.expired());
        assertEquals(0, BigDecimal.ZERO.compareTo(QuotaApi.counter(scope, window)[3]), "the budget is free at once");

        // the other order: the router's release by the id reaches the store before the stale ask it gave up on
        String early = java.util.UUID.randomUUID().toString();
        QuotaAnswer unknown = QuotaApi.exchange(new QuotaExchange("stalled-router",
                List.of(new QuotaExchange.Release(early, BigDecimal.ZERO)), List.of(), List.of()));
        assertEquals(List.of(early), unknown.expired(), "not a lease the store knows");
        QuotaAnswer.Grant stale = QuotaApi.exchange(QuotaApi.asks("stalled-router", new QuotaExchange.Ask(ask.ref(),
                ask.scope(), ask.kind(), ask.windowStart(), ask.limit(), ask.need(), ask.want(), early)))
                .grants().get(0);
        assertNull(stale.leaseId(), "a lease given back before it was granted is never granted");
        assertEquals(0, BigDecimal.ZERO.compareTo(QuotaApi.counter(scope, window)[3]), "nothing counted");
    }

    @Test
    void anAbandonedLeaseIsReclaimedDownToWhatWasBilled() {
        String scope = "key:" + UsageEvents.unique("key");
        String key = scope.substring(4);
        Instant now = Instant.now();
        Instant window = BudgetPeriod.WEEK.start(now);
        QuotaAnswer first = QuotaApi.exchange(QuotaApi.asks("crashing-router",
                QuotaApi.budget("b", scope, window, "1", "0.6", "0.8")));
        String lease = first.grants().get(0).leaseId();
        assertEquals(0, new BigDecimal("0.8").compareTo(first.grants().get(0).granted()));
        UsageEvents.send(EventBuilder.event().key(key).at(now).cost("0.2", "0.05").leases(lease).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 1);

        QuotaAnswer refused = QuotaApi.exchange(QuotaApi.asks("other-router",
                QuotaApi.budget("b", scope, window, "1", "0.3", "0.3")));
        assertNull(refused.grants().get(0).leaseId(), "0.8 still leased: 0.3 does not fit");

        long notYet = job.run(now.plus(EXPIRY_AND_GRACE).minusSeconds(5)).await().atMost(Duration.ofSeconds(30));
        assertEquals(0, QuotaApi.counter(scope, window)[3].compareTo(new BigDecimal("0.8")), "within the grace");
        assertTrue(notYet >= 0);
        long reclaimed = job.run(now.plus(EXPIRY_AND_GRACE).plusSeconds(5)).await().atMost(Duration.ofSeconds(30));
        assertTrue(reclaimed >= 1, "reclaimed " + reclaimed);
        BigDecimal[] counter = QuotaApi.counter(scope, window);
        assertEquals(0, new BigDecimal("0.25").compareTo(counter[3]), "committed drops to the billed " + counter[3]);
        assertEquals(0, new BigDecimal("0.25").compareTo(counter[2]));

        QuotaAnswer again = QuotaApi.exchange(new QuotaExchange("crashing-router",
                List.of(new QuotaExchange.Release(lease, new BigDecimal("0.25"))), List.of(lease),
                List.of(QuotaApi.budget("b", scope, window, "1", "0.3", "0.3"))));
        assertEquals(List.of(lease), again.expired(), "the router learns its lease is gone");
        assertEquals(0, new BigDecimal("0.3").compareTo(again.grants().get(0).granted()), "and the room is free");
        assertEquals(0, new BigDecimal("0.55").compareTo(again.grants().get(0).committed()));
    }

    @Test
    void settledClosedLeasesAreFoldedIntoTheirCounterAndOldRateWindowsDeleted() {
        String scope = "key:" + UsageEvents.unique("key");
        String key = scope.substring(4);
        Instant now = Instant.now();
        Instant window = BudgetPeriod.DAY.start(now);
        QuotaAnswer granted = QuotaApi.exchange(QuotaApi.asks("router",
                QuotaApi.budget("b", scope, window, "5", "1", "1"),
                QuotaApi.rate("r", scope, QuotaExchange.REQUESTS, now.truncatedTo(ChronoUnit.MINUTES)
                        .minus(Duration.ofHours(1)), 10, 1, 1)));
        String lease = granted.grants().get(0).leaseId();
        UsageEvents.send(EventBuilder.event().key(key).at(now).cost("0.4", "0").leases(lease).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 1);
        QuotaApi.exchange(new QuotaExchange("router", List.of(new QuotaExchange.Release(lease, new BigDecimal("0.4"))),
                List.of(), List.of()));
        BigDecimal[] before = QuotaApi.counter(scope, window);

        job.run(now.plus(Duration.ofDays(3))).await().atMost(Duration.ofSeconds(30));

        assertNull(QuotaApi.settled(lease), "the closed, settled lease is gone");
        BigDecimal[] after = QuotaApi.counter(scope, window);
        assertEquals(0, new BigDecimal("0.4").compareTo(after[1]), "folded into the opening spend");
        assertEquals(0, before[2].compareTo(after[2]), "spent unchanged");
        assertEquals(0, before[3].compareTo(after[3]), "committed unchanged");
        BigDecimal[] sums = QuotaApi.leaseSums(scope, window);
        assertEquals(0, after[3].compareTo(sums[0]));
        assertEquals(0, Ledger.count("select count(*) from rate_window where scope = ?", scope),
                "the rate window of an hour ago is deleted");
    }
}
