package io.visca.gateway.health.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.visca.gateway.contracts.event.Topics;
import io.visca.gateway.health.config.HealthConfig;

/**
 * Makes sure {@code provider-health-changed} exists and is compacted ({@code cleanup.policy=compact}, so the latest
 * event per endpoint is kept for good and a tombstone removes one), with the broker's default partitions and
 * replication, and keeps every event for {@code health.transitions.max-age} before compaction may drop it
 * ({@code min.compaction.lag.ms}): the transition history every instance reads back from the topic. A topic that
 * exists without these (auto-created by a consumer that came first, say) is switched to them. Done with an
 * AdminClient, off the event loop, before the first event is published; a failure is retried with the next
 * publishing round.
 */
@ApplicationScoped
public class HealthTopic {

    private static final Logger LOG = Logger.getLogger(HealthTopic.class);
    public static final String TOPIC = Topics.PROVIDER_HEALTH_CHANGED;

    private final Map<String, Object> kafkaConfig;
    private final String minCompactionLagMs;
    private volatile boolean ready;

    HealthTopic(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, HealthConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.minCompactionLagMs = Long.toString(config.transitions().maxAge().toMillis());
    }

    public Uni<Void> ensureExists() {
        if (ready) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().<Void> item(() -> {
            ensure();
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The broker settings an AdminClient or a plain consumer of this service uses. */
    public Map<String, Object> clientConfig(Collection<String> names) {
        Map<String, Object> config = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (names.contains(key)) {
                config.put(key, value);
            }
        });
        return config;
    }

    private synchronized void ensure() {
        if (ready) {
            return;
        }
        Map<String, Object> config = clientConfig(AdminClientConfig.configNames());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(config)) {
            try {
                admin.createTopics(List.of(new NewTopic(TOPIC, Optional.empty(), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, minCompactionLagMs))))
                        .all().get(10, TimeUnit.SECONDS);
                LOG.infof("created Kafka topic %s (compacted)", TOPIC);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                compact(admin);
            }
            ready = true;
        } catch (ExecutionException e) {
            throw new IllegalStateException("creating topic " + TOPIC + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topic " + TOPIC + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + TOPIC, e);
        }
    }

    private void compact(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
        Config current = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
        ConfigEntry policy = current == null ? null : current.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        ConfigEntry lag = current == null ? null : current.get(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG);
        List<AlterConfigOp> changes = new ArrayList<>();
        if (policy == null || policy.value() == null
                || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            changes.add(new AlterConfigOp(new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT), AlterConfigOp.OpType.SET));
            LOG.warnf("Kafka topic %s existed with cleanup.policy=%s; switching it to compact", TOPIC,
                    policy == null ? "?" : policy.value());
        }
        if (lag == null || lag.value() == null || Long.parseLong(lag.value()) < Long.parseLong(minCompactionLagMs)) {
            changes.add(new AlterConfigOp(new ConfigEntry(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                    minCompactionLagMs), AlterConfigOp.OpType.SET));
            LOG.infof("Kafka topic %s: min.compaction.lag.ms %s -> %s (the transition history's max age)", TOPIC,
                    lag == null ? "?" : lag.value(), minCompactionLagMs);
        }
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(Map.of(resource, changes)).all().get(10, TimeUnit.SECONDS);
        }
    }
}
