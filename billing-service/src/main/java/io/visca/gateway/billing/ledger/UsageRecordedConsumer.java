package io.visca.gateway.billing.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.visca.gateway.billing.config.BillingConfig;
import io.visca.gateway.contracts.event.Topics;
import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * Consumes {@code usage-recorded} in batches (one Kafka poll each) and acknowledges a batch only once it is in
 * PostgreSQL, so its offsets are committed after the data (at-least-once) and the ledger's event-id key makes the
 * totals exact: a copy of an event (same event id) is stored once, while requests that share a client's request id
 * are each their own event. Malformed values are logged (position and reason, never the content) and skipped; events older than
 * the raw-record retention are skipped too, since a copy deleted by retention could not be recognized as a
 * duplicate. A database outage holds the batch in {@link LedgerWriter}'s retry loop: nothing is lost or committed.
 */
@ApplicationScoped
public class UsageRecordedConsumer {

    static final String CHANNEL = Topics.USAGE_RECORDED;
    private static final Logger LOG = Logger.getLogger(UsageRecordedConsumer.class);

    private final UsageEventParser parser;
    private final LedgerWriter writer;
    private final IngestMetrics metrics;
    private final Duration retention;

    UsageRecordedConsumer(UsageEventParser parser, LedgerWriter writer, IngestMetrics metrics, BillingConfig config) {
        this.parser = parser;
        this.writer = writer;
        this.metrics = metrics;
        this.retention = config.retention().rawRecords();
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<KafkaRecord<String, byte[]>> records = batch.getRecords();
        metrics.received(records.size());
        Instant cutoff = retention.isZero() ? null : Instant.now().minus(retention);
        List<UsageRecorded> events = new ArrayList<>(records.size());
        List<String> attemptLogs = new ArrayList<>(records.size());
        Set<String> ids = new HashSet<>(records.size() * 2);
        long duplicatesInBatch = 0;
        for (KafkaRecord<String, byte[]> record : records) {
            UsageEventParser.Parsed parsed = parser.parse(record.getPayload());
            if (!parsed.valid()) {
                // its key is not shown either: nothing of a value that is not what it should be reaches the log
                LOG.warnf("skipping malformed usage-recorded event at %s-%d offset %d: %s", record.getTopic(),
                        record.getPartition(), offset(record), parsed.problem());
                metrics.malformed();
                continue;
            }
            UsageRecorded event = parsed.event();
            if (cutoff != null && event.occurredAt().isBefore(cutoff)) {
                LOG.warnf("skipping usage event %s (request %s): it occurred at %s, before the raw-record retention "
                        + "(%s)", event.eventId(), event.requestId(), event.occurredAt(), retention);
                metrics.expired();
                continue;
            }
            if (!ids.add(event.eventId())) {
                duplicatesInBatch++;
                continue;
            }
            events.add(event);
            attemptLogs.add(parsed.attemptLogJson());
        }
        long inBatch = duplicatesInBatch;
        return writer.write(events, attemptLogs)
                .invoke(written -> metrics.duplicates(inBatch + events.size() - written.inserted() - written.refused()))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()))
                .invoke(metrics::batchDone);
    }

    private static long offset(KafkaRecord<?, ?> record) {
        return record instanceof IncomingKafkaRecord<?, ?> incoming ? incoming.getOffset() : -1;
    }

}
