package io.visca.gateway.health.stale;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.health.events.HealthTopic;
import io.visca.gateway.health.probe.ProbeScheduler;
import io.visca.gateway.snapshot.RegistrySnapshots;

/**
 * Once per start, after the first registry snapshot is applied: reads {@code provider-health-changed} from the
 * beginning and withdraws (tombstones) every endpoint it still holds a status for that is not probed now, e.g. one
 * deleted while no monitor ran. With the first status of every probed endpoint published as it is determined, the
 * compacted topic then holds exactly the current truth. Retried with backoff while Kafka is unreachable.
 */
@ApplicationScoped
public class StaleHealthSweep {

    private static final Logger LOG = Logger.getLogger(StaleHealthSweep.class);
    private static final Duration READ_WITHIN = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final RegistrySnapshots snapshot;
    private final ProbeScheduler scheduler;
    private final HealthTopic topic;
    private final HealthConfig.Events config;
    private volatile boolean stopped;
    private long backoffMs;

    StaleHealthSweep(Vertx vertx, RegistrySnapshots snapshot, ProbeScheduler scheduler, HealthTopic topic,
            HealthConfig config) {
        this.vertx = vertx;
        this.snapshot = snapshot;
        this.scheduler = scheduler;
        this.topic = topic;
        this.config = config.events();
        this.backoffMs = this.config.initialBackoff().toMillis();
    }

    void start(@Observes StartupEvent event) {
        later(200);
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    private void later(long delayMs) {
        if (!stopped) {
            vertx.setTimer(Math.max(1, delayMs), id -> attempt());
        }
    }

    private void attempt() {
        if (!snapshot.loaded()) {
            later(200);
            return;
        }
        vertx.<Set<String>> executeBlocking(this::liveKeys, false).onComplete(done -> {
            if (done.succeeded()) {
                int withdrawn = scheduler.withdrawUnlessProbed(done.result());
                if (withdrawn > 0) {
                    LOG.infof("withdrew the health of %d endpoints no longer probed (left on %s by an earlier run)",
                            withdrawn, HealthTopic.TOPIC);
                }
                return;
            }
            LOG.debugf("reading %s for stale endpoints failed, retrying: %s", HealthTopic.TOPIC,
                    done.cause().getMessage());
            long delay = backoffMs;
            backoffMs = Math.min(backoffMs * 2, config.maxBackoff().toMillis());
            later(delay);
        });
    }

    /** The keys whose latest record on the topic is a status, not a tombstone. */
    private Set<String> liveKeys() {
        Map<String, Object> config = topic.clientConfig(ConsumerConfig.configNames());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        Map<String, Boolean> live = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(HealthTopic.TOPIC, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                return Set.of();
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + READ_WITHIN.toNanos();
            while (assigned.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not read to its end within " + READ_WITHIN.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null) {
                        live.put(record.key(), record.value() != null);
                    }
                }
            }
        }
        return live.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }
}
