package io.visca.gateway.router.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.vertx.core.Promise;
import io.visca.gateway.contracts.provider.BudgetPeriod;
import io.visca.gateway.contracts.quota.QuotaAnswer;
import io.visca.gateway.contracts.quota.QuotaExchange;

/** A router's hold on one budget: reservations never exceed its leases; the store's "no" refuses one request. */
class BudgetPoolTests {

    private static final BigDecimal LIMIT = new BigDecimal("0.50");
    private static final long WAIT = 8_000_000_000L;
    private final Instant now = Instant.parse("2026-12-07T15:00:00Z");
    private final BudgetPool pool = new BudgetPool("key:k1", BudgetPeriod.MONTH, BudgetPeriod.MONTH.start(now), LIMIT);

    @Test
    void requestsAreAdmittedWhileTheLeaseHasRoomForTheirMaximumCost() {
        grant("L1", "0.05");
        BudgetPool.Lease first = pool.tryReserve(new BigDecimal("0.03"), LIMIT, now);
        assertNotNull(first);
        assertNull(pool.tryReserve(new BigDecimal("0.03"), LIMIT, now), "0.02 left: a 0.03 request waits");
        pool.settle(first, new BigDecimal("0.03"), new BigDecimal("0.01"));
        assertNotNull(pool.tryReserve(new BigDecimal("0.03"), LIMIT, now), "the real cost freed the rest");
        assertEquals(0, first.free().compareTo(new BigDecimal("0.01")), first.free().toPlainString());
    }

    @Test
    void theStoresRefusalRefusesTheRequestItWasAskedForAndNoOther() {
        Waiting<BudgetPool.Lease, BigDecimal> big = waiting("0.20");
        Waiting<BudgetPool.Lease, BigDecimal> small = waiting("0.01");
        assertTrue(pool.enqueue(big), "the first waiting request starts an ask");
        assertFalse(pool.enqueue(small), "one ask at a time");
        QuotaExchange.Ask ask = pool.ask("b", new BigDecimal("0.025"));
        assertEquals(0, ask.need().compareTo(new BigDecimal("0.20")));
        assertEquals(0, ask.want().compareTo(new BigDecimal("0.21")), "want covers every waiting request");

        List<Waiting<BudgetPool.Lease, BigDecimal>> admitted = new ArrayList<>();
        List<Waiting<BudgetPool.Lease, BigDecimal>> refused = new ArrayList<>();
        pool.granted(new QuotaAnswer.Grant("b", null, BigDecimal.ZERO, new BigDecimal("0.45"), null, BigDecimal.ZERO),
                now, WAIT, admitted, new ArrayList<>(), refused);
        assertEquals(List.of(big), refused);
        assertTrue(admitted.isEmpty());
        assertTrue(pool.askForWaiting(), "the small one is asked for next");
        assertEquals(0, pool.ask("b", BigDecimal.ONE).need().compareTo(new BigDecimal("0.01")));
    }

    @Test
    void aRequestThatWouldFitOnceOpenLeasesComeBackWaitsInsteadOfBeingRefused() {
        Waiting<BudgetPool.Lease, BigDecimal> request = waiting("0.02");
        pool.enqueue(request);
        pool.ask("b", new BigDecimal("0.025"));
        List<Waiting<BudgetPool.Lease, BigDecimal>> refused = new ArrayList<>();
        // 0.49 committed, of which 0.04 open leases may give back: 0.50 - 0.45 = 0.05 would fit 0.02
        boolean later = pool.granted(new QuotaAnswer.Grant("b", null, BigDecimal.ZERO, new BigDecimal("0.49"), null,
                new BigDecimal("0.04")), now, WAIT, new ArrayList<>(), new ArrayList<>(), refused);
        assertTrue(later, "asked again later");
        assertTrue(refused.isEmpty());
        assertTrue(pool.askForWaiting());
        pool.ask("b", new BigDecimal("0.025"));
        // nothing can come back (0.50 - 0.49 < 0.02): refused now
        later = pool.granted(new QuotaAnswer.Grant("b", null, BigDecimal.ZERO, new BigDecimal("0.49"), null,
                BigDecimal.ZERO), now, WAIT, new ArrayList<>(), new ArrayList<>(), refused);
        assertFalse(later);
        assertEquals(List.of(request), refused);
    }

    @Test
    void aWaitingRequestIsRefusedOnceItHasWaitedLongEnough() {
        Waiting<BudgetPool.Lease, BigDecimal> request = new Waiting<>(new BigDecimal("0.02"), Promise.promise(), null,
                System.nanoTime() - WAIT);
        pool.enqueue(request);
        pool.ask("b", new BigDecimal("0.025"));
        List<Waiting<BudgetPool.Lease, BigDecimal>> refused = new ArrayList<>();
        assertFalse(pool.granted(new QuotaAnswer.Grant("b", null, BigDecimal.ZERO, new BigDecimal("0.49"), null,
                new BigDecimal("0.04")), now, WAIT, new ArrayList<>(), new ArrayList<>(), refused));
        assertEquals(List.of(request), refused);
    }

    @Test
    void aGrantAdmitsTheWaitingRequestsThatFitInOrder() {
        Waiting<BudgetPool.Lease, BigDecimal> a = waiting("0.02");
        Waiting<BudgetPool.Lease, BigDecimal> b = waiting("0.02");
        Waiting<BudgetPool.Lease, BigDecimal> c = waiting("0.02");
        pool.enqueue(a);
        pool.enqueue(b);
        pool.enqueue(c);
        pool.ask("b", new BigDecimal("0.01"));
        List<Waiting<BudgetPool.Lease, BigDecimal>> admitted = new ArrayList<>();
        List<BudgetPool.Lease> leases = new ArrayList<>();
        List<Waiting<BudgetPool.Lease, BigDecimal>> refused = new ArrayList<>();
        pool.granted(grantOf("L1", "0.05"), now, WAIT, admitted, leases, refused);
        assertEquals(List.of(a, b), admitted, "0.05 holds two");
        assertTrue(refused.isEmpty(), "the third waits for another ask, it was not refused");
        assertTrue(pool.askForWaiting());
    }

    @Test
    void upkeepGivesBackIdleLeasesWithWhatTheyUsedAndKeepsThoseInUse() {
        grant("L1", "0.05");
        BudgetPool.Lease lease = pool.tryReserve(new BigDecimal("0.02"), LIMIT, now);
        BudgetPool.Upkeep busy = pool.upkeep(now, 0, true);
        assertTrue(busy.releases().isEmpty(), "a request runs under it");
        pool.settle(lease, new BigDecimal("0.02"), new BigDecimal("0.0123"));
        BudgetPool.Upkeep idle = pool.upkeep(now, 0, true);
        assertEquals(List.of(new QuotaExchange.Release("L1", new BigDecimal("0.0123"))), idle.releases());
        assertTrue(pool.empty());
    }

    @Test
    void leasesThatExpireSoonAreHeldOnAndNotUsedInTheirLastSeconds() {
        pool.granted(new QuotaAnswer.Grant("b", "L1", new BigDecimal("0.05"), new BigDecimal("0.05"),
                now.plusSeconds(20)), now, WAIT, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        assertSame(null, pool.tryReserve(new BigDecimal("0.01"), LIMIT, now.plusSeconds(16)));
        BudgetPool.Lease lease = pool.tryReserve(new BigDecimal("0.01"), LIMIT, now);
        assertEquals(List.of("L1"), pool.upkeep(now, Long.MAX_VALUE, true).held());
        pool.heldOn(List.of("L1"), now.plusSeconds(10));
        assertNotNull(pool.tryReserve(new BigDecimal("0.01"), LIMIT, now.plusSeconds(24)), "held on: usable again");
        pool.lost(List.of("L1"));
        assertNull(pool.tryReserve(new BigDecimal("0.01"), LIMIT, now), "the store no longer counts it");
        assertNotNull(lease);
    }

    @Test
    void concurrentRequestsNeverReserveMoreThanTheLease() throws Exception {
        grant("L1", "0.50");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(8);
        BigDecimal each = new BigDecimal("0.0070000001");
        for (int t = 0; t < 8; t++) {
            threads.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    BudgetPool.Lease lease = pool.tryReserve(each, LIMIT, now);
                    if (lease != null) {
                        admitted.incrementAndGet();
                        pool.settle(lease, each, each);
                    }
                }
                done.countDown();
            });
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        threads.shutdown();
        assertEquals(71, admitted.get(), "floor(0.50 / 0.0070000001) requests, however the threads interleave");
    }

    private void grant(String id, String amount) {
        pool.granted(grantOf(id, amount), now, WAIT, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    private QuotaAnswer.Grant grantOf(String id, String amount) {
        return new QuotaAnswer.Grant("b", id, new BigDecimal(amount), new BigDecimal(amount), now.plusSeconds(60));
    }

    private static Waiting<BudgetPool.Lease, BigDecimal> waiting(String amount) {
        return new Waiting<>(new BigDecimal(amount), Promise.promise(), null);
    }
}
