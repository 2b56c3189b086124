package io.visca.gateway.health.shard;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.health.events.HealthChangedPublisher;
import io.visca.gateway.health.events.HealthTopic;
import io.visca.gateway.health.probe.ProbeScheduler;

/**
 * Shares the endpoints among the monitor's instances: each joins one consumer group ({@code health.shards.group}) on
 * the shard topic ({@code health.shards.topic}, created with {@code health.shards.partitions} partitions, never
 * written to), and Kafka assigns every partition to exactly one live member (cooperative sticky: a rebalance moves
 * only what it must). The {@link ProbeScheduler} probes the endpoints of the partitions held. A member whose
 * heartbeats stop (killed, frozen, cut off) is dropped after {@code health.shards.session-timeout} and its partitions
 * go to the others; a member that stops (SIGTERM) stops probing, waits until Kafka has its last events, and leaves
 * the group at once, so the others take over within a heartbeat. Without Kafka no instance can be assigned anything:
 * probing starts once the group is joined.
 */
@Singleton
public class ShardAssignment {

    private static final Logger LOG = Logger.getLogger(ShardAssignment.class);

    private final ProbeScheduler scheduler;
    private final HealthChangedPublisher publisher;
    private final HealthTopic brokers;
    private final HealthConfig.Shards config;
    private volatile boolean stopped;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread member;

    ShardAssignment(ProbeScheduler scheduler, HealthChangedPublisher publisher, HealthTopic brokers,
            HealthConfig config) {
        this.scheduler = scheduler;
        this.publisher = publisher;
        this.brokers = brokers;
        this.config = config.shards();
    }

    void start(@Observes StartupEvent event) {
        member = new Thread(this::run, "health-shards-member");
        member.setDaemon(true);
        member.start();
    }

    /** Stops probing, lets Kafka take the last events, then leaves the group: the others take over at once. */
    void stop(@Observes ShutdownEvent event) {
        scheduler.stop(event);
        if (!publisher.awaitPublished(key -> true, config.handoverTimeout())) {
            LOG.warnf("leaving the group with %d health events Kafka did not take within %s",
                    publisher.unpublished(), config.handoverTimeout());
        }
        stopped = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            member.join(config.handoverTimeout().toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long backoffMs = 200;
        while (!stopped) {
            try {
                if (consumer == null) {
                    ensureTopic();
                    consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(),
                            new ByteArrayDeserializer());
                    consumer.subscribe(List.of(config.topic()), new Listener());
                    LOG.infof("joining consumer group %s on %s to share the endpoints", config.group(),
                            config.topic());
                }
                consumer.poll(Duration.ofMillis(200));
                backoffMs = 200;
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                LOG.warnf("sharing the endpoints through %s failed, trying again: %s", config.topic(), e.getMessage());
                pause(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            try {
                c.close(Duration.ofSeconds(5)); // revokes (nothing left to hand over) and leaves the group
            } catch (RuntimeException e) {
                LOG.debugf("leaving consumer group %s: %s", config.group(), e.getMessage());
            }
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> c = brokers.clientConfig(ConsumerConfig.configNames());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "health-shards-" + UUID.randomUUID());
        c.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG); // dynamic membership: closing leaves the group at once
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) config.heartbeatInterval().toMillis());
        // also the rebalance timeout: how long a rebalance waits for a member that stopped answering mid-way
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                (int) config.sessionTimeout().plus(config.handoverTimeout()).toMillis());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return c;
    }

    /** Creates the shard topic with its partitions; one with fewer gets more (it holds no records to move). */
    private void ensureTopic() {
        Map<String, Object> c = brokers.clientConfig(AdminClientConfig.configNames());
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(c)) {
            try {
                admin.createTopics(List.of(new NewTopic(config.topic(), Optional.of(config.partitions()),
                        Optional.empty()))).all().get(10, TimeUnit.SECONDS);
                LOG.infof("created Kafka topic %s (%d partitions: the health monitor's shards)", config.topic(),
                        config.partitions());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                TopicDescription topic = admin.describeTopics(List.of(config.topic())).allTopicNames()
                        .get(10, TimeUnit.SECONDS).get(config.topic());
                if (topic.partitions().size() < config.partitions()) {
                    admin.createPartitions(Map.of(config.topic(), NewPartitions.increaseTo(config.partitions())))
                            .all().get(10, TimeUnit.SECONDS);
                    LOG.infof("Kafka topic %s had %d partitions: now %d", config.topic(), topic.partitions().size(),
                            config.partitions());
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("creating topic " + config.topic() + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topic " + config.topic() + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + config.topic(), e);
        }
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).toList();
    }

    /** Runs in the member's thread, inside {@code poll} (or {@code close}). */
    private final class Listener implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            int count = consumer.partitionsFor(config.topic()).size();
            scheduler.assigned(numbers(partitions), count);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Predicate<String> keys = scheduler.revoked(numbers(partitions), false);
            if (!publisher.awaitPublished(keys, config.handoverTimeout())) {
                LOG.warnf("handing shards %s over with %d health events Kafka did not take: dropped, the next "
                        + "holder finds what they said", numbers(partitions), publisher.discard(keys));
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            int dropped = publisher.discard(scheduler.revoked(numbers(partitions), true));
            if (dropped > 0) {
                LOG.infof("dropped %d unsent health events of shards that may be another instance's now",
                        dropped);
            }
        }
    }
}
