package io.visca.gateway.registry.outbox;

import java.util.ArrayList;
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
 * arrives during a round makes it run once more. Delivery is at least once: consumers compare revisions.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final MutinyEmitter<String> emitter;
    private final OutboxRepository outbox;
    private final ProviderChangedTopic topic;
    private final Vertx vertx;
    private final int batchSize;
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
                .chain(() -> Panache.withSession(() -> outbox.oldest(batchSize)))
                .chain(rows -> publish(rows, 0, new ArrayList<>(), onContext)
                        .call(round -> round.acked().isEmpty() ? Uni.createFrom().voidItem()
                                : Panache.withTransaction(() -> outbox.deleteRevisions(round.acked())))
                        .chain(round -> {
                            if (round.failure() != null) {
                                return Uni.createFrom().failure(round.failure());
                            }
                            if (failing && !rows.isEmpty()) {
                                failing = false;
                                LOG.info("provider-changed events are published again");
                            }
                            return rows.size() == batchSize ? drain(onContext) : Uni.createFrom().voidItem();
                        }));
    }

    /** Sends rows[from..] one by one, stopping at the first failure; says what was acknowledged (to delete it). */
    private Uni<Round> publish(List<OutboxEntity> rows, int from, List<Long> acked, Executor onContext) {
        if (from == rows.size()) {
            return Uni.createFrom().item(new Round(acked, null));
        }
        OutboxEntity row = rows.get(from);
        Message<String> message = Message.of(row.payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(row.messageKey).build());
        return emitter.sendMessage(message)
                .emitOn(onContext)
                .onItemOrFailure().transformToUni((ignored, failure) -> {
                    if (failure != null) {
                        return Uni.createFrom().item(new Round(acked, failure));
                    }
                    acked.add(row.revision);
                    return publish(rows, from + 1, acked, onContext);
                });
    }

    /** What one round published: the acknowledged revisions, and the failure that stopped it, if any. */
    private record Round(List<Long> acked, Throwable failure) {
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
