package io.visca.gateway.billing.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.billing.config.BillingConfig;
import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * Puts a batch of valid events into the ledger, whatever it takes:
 * <ul>
 * <li>one transaction: one statement ({@link LedgerRepository#store}) for the whole batch's raw rows, one adding
 * the rows it really inserted to the minute and hour rollups ({@link RollupRepository}), plus two settling the budget
 * leases its new rows name ({@link LeaseSettlement}) when any does;</li>
 * <li>if PostgreSQL refuses the content of a row (SQLSTATE class 22/23, e.g. a cost beyond what numeric holds), the
 * batch is split in halves, each written in a transaction of its own, and so on down to single events: only those
 * refused on their own are skipped (logged with their event and request id, counted as malformed), the rest is
 * stored;</li>
 * <li>any other failure (the database is down, a connection dropped, a deadlock) is retried with exponential
 * backoff for as long as it takes. The batch is not acknowledged meanwhile, so its offsets are not committed.</li>
 * </ul>
 * Retries are safe: rows already stored are skipped by the ledger, and the rollups only count inserted rows.
 */
@ApplicationScoped
public class LedgerWriter {

    private static final Logger LOG = Logger.getLogger(LedgerWriter.class);

    /** What a batch write did: rows inserted (the rest were already stored) and rows PostgreSQL refused. */
    public record Written(long inserted, long refused) {
        Written plus(Written other) {
            return new Written(inserted + other.inserted, refused + other.refused);
        }
    }

    private final LedgerRepository ledger;
    private final LeaseSettlement settlement;
    private final RollupRepository rollups;
    private final IngestMetrics metrics;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final AtomicLong consecutiveFailures = new AtomicLong();

    LedgerWriter(LedgerRepository ledger, LeaseSettlement settlement, RollupRepository rollups, IngestMetrics metrics,
            BillingConfig config) {
        this.ledger = ledger;
        this.settlement = settlement;
        this.rollups = rollups;
        this.metrics = metrics;
        this.initialBackoff = config.ingest().initialBackoff();
        this.maxBackoff = config.ingest().maxBackoff();
    }

    /** Completes once every event is stored, was stored before, or was refused on its own; never fails. */
    public Uni<Written> write(List<UsageRecorded> events, List<String> attemptLogs) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(new Written(0, 0));
        }
        return Uni.createFrom().deferred(() -> writeSplittingOnDataErrors(events, attemptLogs))
                .onFailure().invoke(this::failed)
                .onFailure().retry().withBackOff(initialBackoff, maxBackoff).indefinitely()
                .invoke(this::recovered);
    }

    private Uni<Written> writeSplittingOnDataErrors(List<UsageRecorded> events, List<String> attemptLogs) {
        return transaction(events, attemptLogs).onFailure(DbErrors::isDataError).recoverWithUni(failure -> {
            if (events.size() == 1) {
                LOG.warnf("skipping usage event %s (request %s): PostgreSQL refused it (%s)",
                        events.get(0).eventId(), events.get(0).requestId(), DbErrors.describe(failure));
                metrics.malformed();
                return Uni.createFrom().item(new Written(0, 1));
            }
            LOG.warnf("PostgreSQL refused a batch of %d events (%s): writing its halves apart", events.size(),
                    DbErrors.describe(failure));
            int half = events.size() / 2;
            return writeSplittingOnDataErrors(events.subList(0, half), attemptLogs.subList(0, half))
                    .chain(first -> writeSplittingOnDataErrors(events.subList(half, events.size()),
                            attemptLogs.subList(half, attemptLogs.size())).map(first::plus));
        });
    }

    private Uni<Written> transaction(List<UsageRecorded> events, List<String> attemptLogs) {
        LedgerBatch batch = LedgerBatch.of(events, attemptLogs);
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return Panache.withTransaction(() -> ledger.store(batch)
                    .call(stored -> rollups.add(RollupDeltas.of(inserted(events, stored.positions()))))
                    .chain(stored -> settlement.settle(stored.settlements())
                            .map(settled -> new Committed(stored, settled))))
                    .map(done -> {
                        LedgerRepository.Stored stored = done.stored();
                        metrics.written(stored.inserted(), stored.newestMicros(),
                                Duration.ofNanos(System.nanoTime() - start));
                        metrics.unknownLeases(done.settled().unknownLeases());
                        metrics.budgetAlerts(done.settled().alerts());
                        return new Written(stored.inserted(), 0);
                    });
        });
    }

    /** The events at {@code positions} of the batch: those the ledger really stored. */
    private static List<UsageRecorded> inserted(List<UsageRecorded> events, int[] positions) {
        List<UsageRecorded> out = new ArrayList<>(positions.length);
        for (int position : positions) {
            out.add(events.get(position));
        }
        return out;
    }

    /** A batch's write and what settling its new rows' budget leases did. */
    private record Committed(LedgerRepository.Stored stored, LeaseSettlement.Settled settled) {
    }

    private void failed(Throwable failure) {
        metrics.writeFailed();
        long n = consecutiveFailures.incrementAndGet();
        // every failure while they are few, then one in 10: an outage of hours must not flood the log
        if (n <= 5 || n % 10 == 0) {
            LOG.warnf("writing a batch to PostgreSQL failed (%s, failure %d in a row); retrying with backoff, "
                    + "nothing is acknowledged meanwhile", DbErrors.describe(failure), n);
        }
        if (n == 1 && LOG.isDebugEnabled()) {
            LOG.debug("first failure of this run", failure);
        }
    }

    private void recovered(Written written) {
        long n = consecutiveFailures.getAndSet(0);
        if (n > 0) {
            LOG.infof("PostgreSQL takes batches again after %d failed attempts", n);
        }
    }
}
