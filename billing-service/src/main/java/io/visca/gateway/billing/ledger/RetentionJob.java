package io.visca.gateway.billing.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.billing.config.BillingConfig;

/**
 * Deletes raw usage records older than {@code billing.retention.raw-records} (every
 * {@code billing.retention.interval}): first the monthly partitions that lie wholly before the cutoff (dropped whole),
 * then, within the partially expired month and the default partition, a bounded number of rows per transaction so a
 * large purge never holds long locks. The rollups are never touched: summaries over deleted records stay exact.
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);
    private static final String DELETE = """
            delete from usage_record where (occurred_at, event_id) in (
                select occurred_at, event_id from usage_record
                where occurred_at < cast(cast(:cutoff as text) as timestamptz) limit %d)
            """;

    private final LedgerRepository ledger;
    private final IngestMetrics metrics;
    private final Duration retention;
    private final int batchSize;

    RetentionJob(LedgerRepository ledger, IngestMetrics metrics, BillingConfig config) {
        this.ledger = ledger;
        this.metrics = metrics;
        this.retention = config.retention().rawRecords();
        this.batchSize = config.retention().deleteBatchSize();
    }

    @Scheduled(identity = "raw-record-retention", every = "${billing.retention.interval:1h}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge(Instant.now()).onFailure().invoke(e -> LOG.warnf("the raw-record retention run failed (%s); "
                + "the next run tries again", DbErrors.describe(e))).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes the raw records that occurred before {@code now} minus the retention; returns how many. */
    public Uni<Long> purge(Instant now) {
        if (retention.isZero() || retention.isNegative()) {
            return Uni.createFrom().item(0L);
        }
        Instant cutoff = now.minus(retention);
        AtomicLong total = new AtomicLong();
        String sql = DELETE.formatted(batchSize);
        Uni<Long> dropped = Panache.withTransaction(() -> ledger.getSession().chain(session -> session
                .createNativeQuery("select usage_record_drop_partitions(cast(cast(:cutoff as text) as timestamptz))",
                        Long.class)
                .setParameter("cutoff", cutoff.toString()).getSingleResult()));
        return dropped.invoke(total::addAndGet).chain(ignored -> Multi.createBy().repeating()
                .uni(() -> Panache.withTransaction(() -> ledger.getSession()
                        .chain(session -> session.createNativeQuery(sql).setParameter("cutoff", cutoff.toString())
                                .executeUpdate())))
                .whilst(deleted -> deleted == batchSize)
                .onItem().invoke(deleted -> total.addAndGet(deleted))
                .collect().last())
                .map(ignored -> {
                    long deleted = total.get();
                    metrics.retentionDeleted(deleted);
                    if (deleted > 0) {
                        LOG.infof("deleted %d raw usage records that occurred before %s (retention %s)", deleted,
                                cutoff, retention);
                    }
                    return deleted;
                });
    }
}
