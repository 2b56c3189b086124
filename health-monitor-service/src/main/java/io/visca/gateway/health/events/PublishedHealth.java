package io.visca.gateway.health.events;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.visca.gateway.contracts.event.ProviderHealthChanged;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.health.history.HealthTransition;
import io.visca.gateway.health.history.TransitionHistory;

/**
 * What {@code provider-health-changed} holds, read by every instance from the beginning and then as it grows (manual
 * assignment of every partition, no group, in a thread of its own): the latest status of every endpoint, whichever
 * instance probes it, and its last transitions. An instance that takes an endpoint over (a handover, a restart)
 * resumes from that status, so it publishes no made-up first status and misses no change; the transition history
 * ({@link TransitionHistory}) is fed from here, so every instance answers with every endpoint's history, and it
 * survives restarts for as long as the topic keeps the events ({@code min.compaction.lag.ms}, see
 * {@link HealthTopic}). {@link #sync()} says when everything published before it was asked has been read.
 */
@Singleton
public class PublishedHealth {

    private static final Logger LOG = Logger.getLogger(PublishedHealth.class);

    private final HealthTopic topic;
    private final ObjectMapper json;
    private final TransitionHistory history;
    private final int kept;
    /** Guarded by {@code this}: per key, the latest events (oldest first); absent when withdrawn or never seen. */
    private final Map<String, Deque<ProviderHealthChanged>> byKey = new HashMap<>();
    /** Guarded by {@code this}: keys whose latest record is a status that does not parse (an older run's, say). */
    private final Set<String> unreadable = new java.util.HashSet<>();
    /** Guarded by {@code this}: {@link #sync()} calls not yet answered. */
    private final List<CompletableFuture<Void>> syncs = new ArrayList<>();
    private volatile boolean stopped;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread reader;

    PublishedHealth(HealthTopic topic, ObjectMapper json, TransitionHistory history, HealthConfig config) {
        this.topic = topic;
        this.json = json;
        this.history = history;
        this.kept = Math.max(1, config.transitionsKept());
    }

    void start(@Observes StartupEvent event) {
        reader = new Thread(this::run, "published-health-reader");
        reader.setDaemon(true);
        reader.start();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Completes once every record on the topic when it was called has been read. */
    public CompletableFuture<Void> sync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            syncs.add(done);
        }
        return done;
    }

    /** The latest event of the key, or null (never published, withdrawn, or unreadable). */
    public synchronized ProviderHealthChanged latest(String key) {
        Deque<ProviderHealthChanged> events = byKey.get(key);
        return events == null ? null : events.peekLast();
    }

    /** The key's last transitions, oldest first (at most {@code health.transitions-kept}). */
    public synchronized List<ProviderHealthChanged> recent(String key) {
        Deque<ProviderHealthChanged> events = byKey.get(key);
        return events == null ? List.of() : List.copyOf(events);
    }

    /** The keys whose latest record is a status, not a tombstone. */
    public synchronized Set<String> liveKeys() {
        Set<String> live = new java.util.HashSet<>(byKey.keySet());
        live.addAll(unreadable);
        return live;
    }

    private void run() {
        long backoffMs = 200;
        List<TopicPartition> partitions = List.of();
        Map<TopicPartition, Long> target = null;
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        while (!stopped) {
            try {
                if (consumer == null) {
                    topic.ensureExists().await().atMost(Duration.ofSeconds(30));
                    consumer = open();
                }
                if (partitions.isEmpty()) {
                    partitions = partitions(consumer);
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                }
                if (target == null) {
                    synchronized (this) {
                        waiting.addAll(syncs);
                        syncs.clear();
                    }
                    if (!waiting.isEmpty()) {
                        target = consumer.endOffsets(partitions, Duration.ofSeconds(10));
                    }
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    read(record.key(), record.value());
                }
                if (target != null && caughtUp(target)) {
                    waiting.forEach(f -> f.complete(null));
                    waiting.clear();
                    target = null;
                }
                backoffMs = 200;
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                LOG.debugf("reading %s failed, trying again: %s", HealthTopic.TOPIC, e.getMessage());
                pause(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.close(Duration.ofSeconds(2));
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> target) {
        for (Map.Entry<TopicPartition, Long> end : target.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private KafkaConsumer<String, String> open() {
        Map<String, Object> config = topic.clientConfig(ConsumerConfig.configNames());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer) {
        List<PartitionInfo> info = consumer.partitionsFor(HealthTopic.TOPIC, Duration.ofSeconds(10));
        if (info == null || info.isEmpty()) {
            throw new IllegalStateException(HealthTopic.TOPIC + " has no partitions yet");
        }
        return info.stream().map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toList());
    }

    /** One record: a tombstone withdraws the key; an event becomes its latest status and, once, a transition. */
    void read(String key, String value) {
        if (key == null) {
            return;
        }
        if (value == null) {
            synchronized (this) {
                byKey.remove(key);
                unreadable.remove(key);
            }
            return;
        }
        ProviderHealthChanged event;
        try {
            event = json.readValue(value, ProviderHealthChanged.class);
        } catch (Exception e) {
            event = null;
        }
        if (event == null || event.status() == null || event.checkedAt() == null || event.eventId() == null) {
            synchronized (this) {
                byKey.remove(key);
                unreadable.add(key);
            }
            return;
        }
        synchronized (this) {
            unreadable.remove(key);
            Deque<ProviderHealthChanged> events = byKey.computeIfAbsent(key, k -> new ArrayDeque<>());
            if (!events.isEmpty() && event.eventId().equals(events.peekLast().eventId())) {
                return; // sent twice (a publishing round retried after its answer was lost)
            }
            events.addLast(event);
            while (events.size() > kept) {
                events.removeFirst();
            }
        }
        history.record(new HealthTransition(event.checkedAt(), event.provider(), event.endpoint(), null,
                event.previousStatus(), event.status(), event.reason()));
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }
}
