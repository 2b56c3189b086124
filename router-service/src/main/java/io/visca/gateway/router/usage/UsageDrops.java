package io.visca.gateway.router.usage;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Usage events that could not be kept: counted at once ({@code visca_gateway_usage_events_dropped_total} by reason)
 * and said loudly in the log, at most once a minute per reason, with how many and the last request id. Safe from any
 * thread; never blocks.
 */
final class UsageDrops {

    private static final Logger LOG = Logger.getLogger(UsageDrops.class);
    private static final long EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    enum Reason {
        /** The in-memory hand-off to the usage thread was full (the disk stalls). */
        QUEUE_FULL("queue_full", "the hand-off queue to the usage thread is full (router.usage.queue-capacity): the "
                + "spool's disk does not keep up"),
        /** The spool reached its bound (Kafka has been away long). */
        SPOOL_FULL("spool_full", "the usage spool is full (router.usage.spool.max-bytes): Kafka has not taken "
                + "events for long"),
        /** The disk refused a write. */
        DISK_ERROR("disk_error", "the usage spool's disk refused a write"),
        /** The event could not be written as JSON or framed. */
        UNWRITABLE("unwritable", "the event could not be written");

        final String label;
        final String why;

        Reason(String label, String why) {
            this.label = label;
            this.why = why;
        }
    }

    private final Map<Reason, Tally> tallies = new EnumMap<>(Reason.class);

    UsageDrops(MeterRegistry registry) {
        for (Reason reason : Reason.values()) {
            tallies.put(reason, new Tally(Counter.builder("visca.gateway.usage.events.dropped")
                    .description("usage-recorded events dropped before they reached the spool").tag("reason",
                            reason.label)
                    .register(registry)));
        }
    }

    /** {@code count} events were dropped, the last of them for request {@code requestId} (null when unknown). */
    void dropped(Reason reason, String requestId, long count) {
        if (count <= 0) {
            return;
        }
        Tally tally = tallies.get(reason);
        tally.counter.increment(count);
        tally.sinceLog.addAndGet(count);
        if (requestId != null) {
            tally.lastRequestId = requestId;
        }
        report(reason, tally);
    }

    /** Logs what was dropped since the last report, where a minute has passed; the usage thread calls it often. */
    void report() {
        tallies.forEach(this::report);
    }

    private void report(Reason reason, Tally tally) {
        long now = System.nanoTime();
        long last = tally.loggedAt.get();
        if (tally.sinceLog.get() == 0 || now - last < EVERY_NANOS || !tally.loggedAt.compareAndSet(last, now)) {
            return;
        }
        long count = tally.sinceLog.getAndSet(0);
        LOG.errorf("DROPPED %d usage-recorded events (billing will not see them) since the last report: %s; the "
                + "last was request %s", count, reason.why, tally.lastRequestId);
    }

    long total() {
        return (long) tallies.values().stream().mapToDouble(t -> t.counter.count()).sum();
    }

    private static final class Tally {
        final Counter counter;
        final AtomicLong sinceLog = new AtomicLong();
        final AtomicLong loggedAt = new AtomicLong(System.nanoTime() - EVERY_NANOS);
        volatile String lastRequestId;

        Tally(Counter counter) {
            this.counter = counter;
        }
    }
}
