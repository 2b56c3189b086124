package io.visca.gateway.registry.outbox;

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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.visca.gateway.contracts.event.Topics;

/**
 * Creates the {@code provider-changed} topic when the broker does not have it (brokers with
 * {@code auto.create.topics.enable=false}), with the broker's default partitions and replication. Done once, off
 * the event loop, before the relay first publishes; a failure is retried on the relay's next round.
 */
@ApplicationScoped
public class ProviderChangedTopic {

    private static final Logger LOG = Logger.getLogger(ProviderChangedTopic.class);

    private final Map<String, Object> kafkaConfig;
    private volatile boolean ready;

    ProviderChangedTopic(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.kafkaConfig = kafkaConfig;
    }

    public Uni<Void> ensureExists() {
        if (ready) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().<Void> item(() -> {
            create();
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private void create() {
        Map<String, Object> config = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(Topics.PROVIDER_CHANGED, Optional.empty(), Optional.empty())))
                    .all().get(10, TimeUnit.SECONDS);
            LOG.infof("created Kafka topic %s", Topics.PROVIDER_CHANGED);
            ready = true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                ready = true;
                return;
            }
            throw new IllegalStateException("creating topic " + Topics.PROVIDER_CHANGED + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topic " + Topics.PROVIDER_CHANGED + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + Topics.PROVIDER_CHANGED, e);
        }
    }
}
