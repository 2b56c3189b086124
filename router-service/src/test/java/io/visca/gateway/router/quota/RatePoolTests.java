package io.visca.gateway.router.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.Promise;
import io.visca.gateway.contracts.quota.QuotaAnswer;
import io.visca.gateway.contracts.quota.QuotaExchange;

/** A router's share of one minute's rate: taken from what the store granted; the remaining it shows counts down. */
class RatePoolTests {

    private final RatePool pool = new RatePool("key:k1", QuotaExchange.REQUESTS,
            Instant.parse("2026-12-07T15:00:00Z"), 600);

    @Test
    void requestsAreTakenFromTheGrantAndTheRemainingCountsDown() {
        assertFalse(pool.tryTake(1), "nothing granted yet");
        grant(12, 12);
        assertEquals(600, pool.remaining());
        for (int i = 0; i < 12; i++) {
            assertTrue(pool.tryTake(1));
            assertEquals(599 - i, pool.remaining());
        }
        assertFalse(pool.tryTake(1));
    }

    @Test
    void theRemainingCountsWhatOtherRoutersWereGranted() {
        grant(12, 300);
        pool.tryTake(2);
        assertEquals(600 - 300 + 10, pool.remaining());
    }

    @Test
    void aMinuteUsedUpRefusesTheRequestThatAskedAndShowsZero() {
        Waiting<Boolean, Long> request = new Waiting<>(1L, Promise.promise(), null);
        assertTrue(pool.enqueue(request));
        QuotaExchange.Ask ask = pool.ask("r", 12);
        assertEquals(0, ask.need().compareTo(BigDecimal.ONE));
        assertEquals(0, ask.want().compareTo(BigDecimal.valueOf(12)));
        List<Waiting<Boolean, Long>> admitted = new ArrayList<>();
        List<Waiting<Boolean, Long>> refused = new ArrayList<>();
        pool.granted(new QuotaAnswer.Grant("r", null, BigDecimal.ZERO, BigDecimal.valueOf(600), null), admitted,
                refused);
        assertEquals(List.of(request), refused);
        assertEquals(0, pool.remaining());
        assertFalse(pool.runsLow(12), "nothing to ask ahead for in a used-up minute");
    }

    @Test
    void tokensReservedBeyondWhatARequestUsedComeBack() {
        grant(1000, 1000);
        assertTrue(pool.tryTake(800));
        assertFalse(pool.tryTake(300));
        pool.adjust(150 - 800);
        assertTrue(pool.tryTake(300));
    }

    @Test
    void aMinuteFullyGrantedElsewhereIsExhaustedAndRefusesEveryoneWaiting() {
        grant(5, 590);
        assertFalse(pool.exhausted(), "5 held here, 10 not granted to anyone yet");
        assertTrue(pool.tryTake(5));
        List<Waiting<Boolean, Long>> waiting = List.of(new Waiting<>(1L, Promise.promise(), null),
                new Waiting<>(1L, Promise.promise(), null), new Waiting<>(1L, Promise.promise(), null));
        waiting.forEach(pool::enqueue);
        pool.ask("r", 12);
        List<Waiting<Boolean, Long>> admitted = new ArrayList<>();
        List<Waiting<Boolean, Long>> refused = new ArrayList<>();
        pool.granted(new QuotaAnswer.Grant("r", null, BigDecimal.valueOf(2), BigDecimal.valueOf(600), null), admitted,
                refused);
        assertEquals(waiting.subList(0, 2), admitted, "the last two of the limit");
        assertEquals(waiting.subList(2, 3), refused, "nothing more can come this minute: no ask for it");
        assertTrue(pool.exhausted());
    }

    @Test
    void inAnOutageAProviderRateGoesOnUpToItsAllowance() {
        pool.outageAllowance(20);
        grant(12, 12);
        for (int i = 0; i < 12; i++) {
            assertTrue(pool.tryTake(1));
        }
        for (int i = 0; i < 8; i++) {
            assertTrue(pool.tryTakeInOutage(1), "within the allowance of 20 in the minute");
        }
        assertFalse(pool.tryTakeInOutage(1), "the allowance counts what was taken from grants too");
    }

    private void grant(long granted, long committed) {
        pool.enqueue(new Waiting<>(0L, Promise.promise(), null));
        pool.ask("r", granted);
        pool.granted(new QuotaAnswer.Grant("r", null, BigDecimal.valueOf(granted), BigDecimal.valueOf(committed),
                null), new ArrayList<>(), new ArrayList<>());
    }
}
