package io.visca.gateway.billing.quota.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The reclaim job reclaims only once billing has run for the grace without a gap. */
class ReclaimGateTests {

    private static final Duration GRACE = Duration.ofMinutes(15);
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private final Instant start = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void opensAfterTheGraceOfSteadyRuns() {
        ReclaimGate gate = new ReclaimGate(GRACE, INTERVAL);
        assertFalse(runEveryInterval(gate, start, GRACE.minusSeconds(10)), "not within the grace after the start");
        assertTrue(gate.open(start.plus(GRACE)));
    }

    @Test
    void aStallOrADatabaseOutageStartsTheGraceAgain() {
        ReclaimGate gate = new ReclaimGate(GRACE, INTERVAL);
        runEveryInterval(gate, start, GRACE);
        assertTrue(gate.open(start.plus(GRACE).plusSeconds(10)));

        Instant woke = start.plus(GRACE).plus(Duration.ofMinutes(20)); // frozen (SIGSTOP) or stopped for 20 min
        assertFalse(gate.open(woke), "the usage of the outage may not be in the ledger yet");
        assertFalse(runEveryInterval(gate, woke.plusSeconds(10), GRACE.minusSeconds(20)));
        assertTrue(gate.open(woke.plus(GRACE)));

        gate.failed();
        Instant back = woke.plus(GRACE).plusSeconds(10);
        assertFalse(gate.open(back), "after a failed run (its database away) the grace starts again");
        assertTrue(runEveryInterval(gate, back.plusSeconds(10), GRACE));
    }

    /** Runs every interval from {@code from} for {@code span}; whether the last one may reclaim. */
    private static boolean runEveryInterval(ReclaimGate gate, Instant from, Duration span) {
        boolean open = false;
        for (Instant t = from; !t.isAfter(from.plus(span)); t = t.plus(INTERVAL)) {
            open = gate.open(t);
        }
        return open;
    }
}
