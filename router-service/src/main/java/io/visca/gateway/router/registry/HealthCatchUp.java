package io.visca.gateway.router.registry;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Whether the router has read {@code provider-health-changed} up to where it ended when the router joined: the compacted
 * topic holds the current health of every endpoint, and a router should know it before it serves. The end offsets are
 * taken when the partitions are assigned; each event read moves its partition along.
 */
@ApplicationScoped
@Default
@Identifier(HealthCatchUp.NAME)
public class HealthCatchUp implements KafkaConsumerRebalanceListener {

    static final String NAME = "provider-health-catch-up";
    private static final Logger LOG = Logger.getLogger(HealthCatchUp.class);

    private final Map<TopicPartition, Long> pending = new ConcurrentHashMap<>();
    private volatile boolean assigned;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (assigned || partitions.isEmpty()) {
            return; // only the first assignment counts: later ones find the router already up to date
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        ends.forEach((partition, end) -> {
            if (consumer.position(partition) < end) {
                pending.put(partition, end);
            }
        });
        assigned = true;
        LOG.debugf("reading provider-health-changed up to %s", ends);
    }

    /** An event was read: its partition is caught up once the offset reaches the end seen at assignment. */
    void read(String topic, int partition, long offset) {
        pending.computeIfPresent(new TopicPartition(topic, partition), (p, end) -> offset + 1 >= end ? null : end);
    }

    public boolean caughtUp() {
        return assigned && pending.isEmpty();
    }
}
