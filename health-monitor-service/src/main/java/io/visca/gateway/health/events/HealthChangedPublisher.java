package io.visca.gateway.health.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.core.Vertx;
import io.visca.gateway.contracts.event.ProviderHealthChanged;
import io.visca.gateway.contracts.event.Topics;
import io.visca.gateway.health.config.HealthConfig;

/**
 * Publishes {@code provider-health-changed}, keyed {@code provider/endpoint}: each event, and tombstones (a null
 * value) for endpoints no longer probed. Every key's latest event waits in a pending map until the broker has
 * acknowledged it (idempotent producer, {@code acks=all}); a newer event for a key replaces one not yet sent, which
 * the compacted topic would drop anyway. Rounds never overlap and send each key at most once, so a key's events
 * reach the topic in order. When Kafka is down the pending events stay, probing goes on, and rounds are retried with
 * backoff until the broker takes them: the topic ends with the latest status of every endpoint.
 */
@ApplicationScoped
public class HealthChangedPublisher {

    private static final Logger LOG = Logger.getLogger(HealthChangedPublisher.class);

    private final MutinyEmitter<Record<String, String>> emitter;
    private final HealthTopic topic;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final HealthConfig.Events config;
    /** Guarded by {@code this}. */
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private boolean running;
    private boolean again;
    private boolean failing;
    private long retryTimer = -1;
    private long backoffMs;
    private long sequence;

    /** The latest value of a key, not yet acknowledged by the broker; a null value is a tombstone. */
    private record Pending(String key, String value, long sequence) {
    }

    @Inject
    HealthChangedPublisher(
            @Channel(Topics.PROVIDER_HEALTH_CHANGED) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<Record<String, String>> emitter,
            HealthTopic topic, ObjectMapper json, Vertx vertx, HealthConfig config) {
        this.emitter = emitter;
        this.topic = topic;
        this.json = json;
        this.vertx = vertx;
        this.config = config.events();
        this.backoffMs = this.config.initialBackoff().toMillis();
    }

    /** Publishes soon; the event replaces any of its key not yet sent. */
    public void publish(ProviderHealthChanged event) {
        String value;
        try {
            value = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a health event could not be written as JSON", e);
        }
        enqueue(event.key(), value);
    }

    /** Publishes a tombstone for the key soon, so the compacted topic forgets the endpoint. */
    public void tombstone(String key) {
        enqueue(key, null);
    }

    /** Events (and tombstones) not yet acknowledged by the broker. */
    public synchronized int unpublished() {
        return pending.size();
    }

    /**
     * Waits (blocking: never on an event loop) until the broker has acknowledged every event of the matching keys,
     * for at most {@code within}: an instance handing endpoints over lets go of them only once their last statuses
     * are on the topic, where the next holder reads them.
     *
     * @return whether none is left
     */
    public boolean awaitPublished(Predicate<String> keys, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            synchronized (this) {
                if (pending.keySet().stream().noneMatch(keys)) {
                    return true;
                }
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Drops the unsent events of the matching keys: their endpoints may be another instance's now, whose statuses
     * an older one of this instance must not overwrite; the next holder resumes from the topic and publishes what
     * it finds.
     *
     * @return how many were dropped
     */
    public synchronized int discard(Predicate<String> keys) {
        int before = pending.size();
        pending.keySet().removeIf(keys);
        return before - pending.size();
    }

    private void enqueue(String key, String value) {
        synchronized (this) {
            pending.remove(key);
            pending.put(key, new Pending(key, value, ++sequence));
        }
        drain();
    }

    /** Runs a round unless one runs (which then runs once more) or a retry after a failure is waiting. */
    private void drain() {
        List<Pending> batch;
        synchronized (this) {
            if (running) {
                again = true;
                return;
            }
            if (retryTimer >= 0 || pending.isEmpty()) {
                return;
            }
            running = true;
            again = false;
            batch = new ArrayList<>(Math.min(pending.size(), config.batchSize()));
            for (Pending p : pending.values()) {
                if (batch.size() == config.batchSize()) {
                    break;
                }
                batch.add(p);
            }
        }
        topic.ensureExists().chain(() -> sendAll(batch)).subscribe().with(this::roundDone, this::roundDone);
    }

    /** Sends the batch at once; completes with the first failure, or null when the broker took every event. */
    private Uni<Throwable> sendAll(List<Pending> batch) {
        List<Uni<Optional<Throwable>>> sends = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            sends.add(emitter.send(Record.of(p.key(), p.value()))
                    .onItem().transform(ignored -> {
                        acknowledged(p);
                        return Optional.<Throwable> empty();
                    })
                    .onFailure().recoverWithItem(Optional::of));
        }
        return Uni.join().all(sends).andFailFast()
                .map(results -> results.stream().flatMap(Optional::stream).findFirst().orElse(null));
    }

    private synchronized void acknowledged(Pending p) {
        Pending current = pending.get(p.key());
        if (current != null && current.sequence() == p.sequence()) {
            pending.remove(p.key());
        }
    }

    private void roundDone(Throwable failure) {
        boolean more;
        synchronized (this) {
            running = false;
            if (failure != null) {
                if (!failing) {
                    failing = true;
                    LOG.warnf("publishing provider-health-changed failed (%d events waiting), retrying with backoff: "
                            + "%s", pending.size(), failure.getMessage());
                }
                long delay = backoffMs;
                backoffMs = Math.min(backoffMs * 2, config.maxBackoff().toMillis());
                retryTimer = vertx.setTimer(Math.max(1, delay), id -> {
                    synchronized (this) {
                        retryTimer = -1;
                    }
                    drain();
                });
                return;
            }
            if (failing) {
                failing = false;
                LOG.info("provider-health-changed events are published again");
            }
            backoffMs = config.initialBackoff().toMillis();
            more = again || !pending.isEmpty();
        }
        if (more) {
            drain();
        }
    }
}
