package io.visca.gateway.billing.quota.service;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether the reclaim job may reclaim leases now: only once this process has run the job for the grace without a gap
 * (a stop, a freeze, its database away). Until then the usage events of the outage may not be in the ledger yet, and
 * routers have not given back their leases with what they used; reclaiming at what the ledger had billed would free
 * budget that those events then settle on top of (an overspend once it is granted again). Not thread-safe: the job
 * runs one at a time.
 */
final class ReclaimGate {

    private final Duration grace;
    private final Duration gap;
    private Instant runningSince;
    private Instant lastRun;

    /** @param interval how often the job runs: a run later than three intervals (plus 5 s) after the last is a gap */
    ReclaimGate(Duration grace, Duration interval) {
        this.grace = grace;
        this.gap = interval.multipliedBy(3).plusSeconds(5);
    }

    /** A run at {@code now}: whether it may reclaim. */
    boolean open(Instant now) {
        if (lastRun == null || now.isBefore(lastRun) || Duration.between(lastRun, now).compareTo(gap) > 0) {
            runningSince = now; // started, or back from a stall
        }
        lastRun = now;
        return !now.isBefore(runningSince.plus(grace));
    }

    /** The run failed (its database away): the grace starts again with the next run. */
    void failed() {
        lastRun = null;
    }
}
