package io.visca.gateway.billing.ledger;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.billing.config.BillingConfig;

/**
 * Makes the raw records' monthly partitions ahead of time ({@code usage_record_YYYYMM}, from the current month to
 * {@code billing.partitions.ahead} from now), at start and every {@code billing.partitions.interval}, through the
 * migration's {@code usage_record_ensure_partitions} (serialised by an advisory lock, so several billing instances
 * may run it at once; rows the default partition already holds for a new month are moved into it). A row whose month
 * has no partition yet is still stored, in the default partition: the job never stands between an event and the
 * ledger.
 */
@ApplicationScoped
public class PartitionJob {

    private static final Logger LOG = Logger.getLogger(PartitionJob.class);

    private final LedgerRepository ledger;
    private final Duration ahead;

    PartitionJob(LedgerRepository ledger, BillingConfig config) {
        this.ledger = ledger;
        this.ahead = config.partitions().ahead();
    }

    @Scheduled(identity = "raw-record-partitions", every = "${billing.partitions.interval:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        Instant now = Instant.now();
        return ensure(now, now.plus(ahead)).onFailure().invoke(e -> LOG.warnf("making the raw records' partitions "
                + "failed (%s); the next run tries again", DbErrors.describe(e))).onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Makes the missing monthly partitions of [from, to); returns how many it made. */
    public Uni<Integer> ensure(Instant from, Instant to) {
        return Panache.withTransaction(() -> ledger.getSession().chain(session -> session
                .createNativeQuery("select usage_record_ensure_partitions(cast(cast(:from as text) as timestamptz), "
                        + "cast(cast(:to as text) as timestamptz))", Integer.class)
                .setParameter("from", from.toString()).setParameter("to", to.toString()).getSingleResult()))
                .invoke(made -> {
                    if (made > 0) {
                        LOG.infof("made %d monthly partitions of the raw usage records up to %s", made, to);
                    }
                });
    }
}
