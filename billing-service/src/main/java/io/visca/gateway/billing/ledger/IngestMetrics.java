package io.visca.gateway.billing.ledger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * The ingest path's meters (Prometheus names at {@code /q/metrics}): {@code billing_events_ingested_total},
 * {@code billing_events_duplicate_total}, {@code billing_events_malformed_total}, {@code billing_events_expired_total},
 * {@code billing_batches_total}, {@code billing_batch_events}, {@code billing_db_write_seconds},
 * {@code billing_db_write_failures_total}, {@code billing_ingest_lag_seconds} and
 * {@code billing_retention_deleted_records_total}, {@code billing_settlement_unknown_leases_total},
 * {@code billing_budget_alerts_recorded_total}. Created at startup, so
 * every meter is on {@code /q/metrics} (at
 * zero) before the first event arrives.
 */
@Startup
@ApplicationScoped
public class IngestMetrics {

    private final Counter ingested;
    private final Counter duplicates;
    private final Counter malformed;
    private final Counter expired;
    private final Counter batches;
    private final Counter writeFailures;
    private final Counter retentionDeleted;
    private final Counter unknownLeases;
    private final Counter budgetAlerts;
    private final DistributionSummary batchEvents;
    private final Timer dbWrite;
    private final AtomicLong lagMillis = new AtomicLong();

    IngestMetrics(MeterRegistry registry) {
        ingested = Counter.builder("billing.events.ingested").description("usage events stored in the ledger")
                .register(registry);
        duplicates = Counter.builder("billing.events.duplicate")
                .description("usage events skipped because their event id was already stored (or twice in a batch)")
                .register(registry);
        malformed = Counter.builder("billing.events.malformed")
                .description("usage events skipped because they could not be read or stored").register(registry);
        expired = Counter.builder("billing.events.expired")
                .description("usage events skipped because they are older than the raw-record retention")
                .register(registry);
        batches = Counter.builder("billing.batches").description("batches from Kafka stored and acknowledged")
                .register(registry);
        writeFailures = Counter.builder("billing.db.write.failures")
                .description("failed database writes of a batch (each is retried)").register(registry);
        retentionDeleted = Counter.builder("billing.retention.deleted.records")
                .description("raw usage records deleted by the retention job").register(registry);
        unknownLeases = Counter.builder("billing.settlement.unknown.leases")
                .description("budget leases named by stored usage events that the quota store does not know "
                        + "(the event is stored, nothing is settled on them)")
                .register(registry);
        budgetAlerts = Counter.builder("billing.budget.alerts.recorded")
                .description("budget thresholds (50, 80, 100 % of a key's or team's budget in a period) found crossed "
                        + "by settlement and recorded as alerts")
                .register(registry);
        batchEvents = DistributionSummary.builder("billing.batch.events")
                .description("events per batch received from Kafka").register(registry);
        dbWrite = Timer.builder("billing.db.write").description("time of one batch's database transaction")
                .register(registry);
        Gauge.builder("billing.ingest.lag.seconds", lagMillis, lag -> lag.get() / 1000.0)
                .description("at the last stored batch: the time it was stored minus occurred_at of its newest event")
                .register(registry);
    }

    void received(int events) {
        batchEvents.record(events);
    }

    void malformed() {
        malformed.increment();
    }

    void expired() {
        expired.increment();
    }

    void duplicates(long count) {
        duplicates.increment(count);
    }

    void writeFailed() {
        writeFailures.increment();
    }

    /** One database transaction that stored {@code inserted} new rows. */
    void written(long inserted, Long newestMicros, Duration took) {
        ingested.increment(inserted);
        dbWrite.record(took);
        if (newestMicros != null) {
            lagMillis.set(Math.max(0, System.currentTimeMillis() - newestMicros / 1000));
        }
    }

    void unknownLeases(long count) {
        unknownLeases.increment(count);
    }

    void budgetAlerts(long count) {
        budgetAlerts.increment(count);
    }

    /** A batch from Kafka is in the database (and is acknowledged). */
    void batchDone() {
        batches.increment();
    }

    public void retentionDeleted(long rows) {
        retentionDeleted.increment(rows);
    }
}
