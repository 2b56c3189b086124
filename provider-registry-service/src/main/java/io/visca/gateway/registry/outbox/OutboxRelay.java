package io.visca.gateway.registry.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.visca.gateway.contracts.event.Topics;
import io.visca.gateway.registry.config.RegistryConfig;

/**
 * Publishes the outbox to Kafka in revision order: one event at a time, each deleted only after the broker
 * acknowledged it (idempotent producer, {@code acks=all}). Runs after every commit ({@link #trigger()}) and on a
 * schedule, which retries whatever a Kafka outage left behind. One round at a time per instance; a trigger that
 * arrives during a round makes it run once more.
 * <p>
 * Several instances share the outbox, so a round is one transaction that first takes the relay lock (a PostgreSQL
 * advisory lock, {@link OutboxRepository#lockRelay}), then reads the oldest events and publishes and deletes them one
 * by one. Only one instance relays at a time, and the next starts from what the last one committed: no event is
 * published twice while both live, and none overtakes an older one. An instance that finds the lock taken waits for it
 * ({@code registry.outbox.lock-wait}), then publishes what is left, so a change committed on any instance is published
 * at once. When the relaying instance dies mid-round, PostgreSQL rolls its transaction back and frees the lock (at
 * once for a killed process, after {@code registry.outbox.idle-timeout} for one that went silent); the next instance
 * then publishes that round's events again, in order. Delivery is at least once (at most one round of duplicates,
 * {@code registry.outbox.batch-size}): consumers compare revisions.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final MutinyEmitter<String> emitter;
    private final OutboxRepository outbox;
    private final ProviderChangedTopic topic;
    private final Vertx vertx;
    private final int batchSize;
    private final Duration lockWait;
    private final Duration idleTimeout;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean failing;

    OutboxRelay(@Channel(Topics.PROVIDER_CHANGED) MutinyEmitter<String> emitter, OutboxRepository outbox,
            ProviderChangedTopic topic, Vertx vertx, RegistryConfig config) {
        this.emitter = emitter;
        this.outbox = outbox;
        this.topic = topic;
        this.vertx = vertx;
        this.batchSize = config.outbox().batchSize();
        this.lockWait = config.outbox().lockWait();
        this.idleTimeout = config.outbox().idleTimeout();
    }

    /** Publishes soon, without waiting: called after each committed change. */
    public void trigger() {
        run().subscribe().with(ignored -> {
        }, failure -> {
        });
    }

    @Scheduled(every = "${registry.outbox.poll-interval}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return run();
    }

    /** Runs rounds until the outbox is empty or publishing fails; completes at once if a round is under way. */
    Uni<Void> run() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return Uni.createFrom().voidItem();
        }
        again.set(false);
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        Executor onContext = command -> context.runOnContext(ignored -> command.run());
        return Uni.createFrom().voidItem().emitOn(onContext)
                .chain(() -> drain(onContext))
                .onFailure().invoke(this::reportFailure)
                .onFailure().recoverWithNull()
                .eventually(() -> {
                    running.set(false);
                    if (again.getAndSet(false)) {
                        trigger();
                    }
                });
    }

    private Uni<Void> drain(Executor onContext) {
        return topic.ensureExists().emitOn(onContext)
                .chain(() -> Panache.withTransaction(() -> outbox.lockRelay(lockWait, idleTimeout)
                        .chain(() -> outbox.oldest(batchSize))
                        .chain(rows -> publish(rows, 0, onContext))))
                .onFailure(OutboxRepository::lockTimedOut).recoverWithItem(Round.BUSY)
                .chain(round -> {
                    if (round.failure() != null) {
                        return Uni.createFrom().failure(round.failure());
                    }
                    if (failing && round.published() > 0) {
                        failing = false;
                        LOG.info("provider-changed events are published again");
                    }
                    if (round == Round.BUSY) {
                        LOG.debugf("another registry instance holds the outbox relay lock; it publishes");
                    }
                    return round.published() == batchSize ? drain(onContext) : Uni.createFrom().voidItem();
                });
    }

    /**
     * Sends rows[from..] one by one, deleting each in the round's transaction once acknowledged, and stops at the
     * first failure, which it returns as an item so that the transaction commits what was published before it.
     */
    private Uni<Round> publish(List<OutboxEntity> rows, int from, Executor onContext) {
        if (from == rows.size()) {
            return Uni.createFrom().item(new Round(from, null));
        }
        OutboxEntity row = rows.get(from);
        Message<String> message = Message.of(row.payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(row.messageKey).build());
        return emitter.sendMessage(message)
                .emitOn(onContext)
                .onItemOrFailure().transformToUni((ignored, failure) -> {
                    if (failure != null) {
                        return Uni.createFrom().item(new Round(from, failure));
                    }
                    return outbox.deleteRevision(row.revision).chain(() -> publish(rows, from + 1, onContext));
                });
    }

    /** What one round published, and the failure that stopped it, if any. */
    private record Round(int published, Throwable failure) {
        /** Another instance held the relay lock throughout the wait. */
        static final Round BUSY = new Round(0, null);
    }

    private void reportFailure(Throwable failure) {
        if (!failing) {
            failing = true;
            LOG.warnf("publishing provider-changed events failed, retrying on the next round: %s",
                    failure.getMessage());
        } else {
            LOG.debugf("publishing provider-changed events still fails: %s", failure.getMessage());
        }
    }
}
