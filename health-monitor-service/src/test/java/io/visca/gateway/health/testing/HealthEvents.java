package io.visca.gateway.health.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visca.gateway.contracts.event.Topics;

/**
 * Everything on {@code provider-health-changed}, read from the beginning by a real Kafka consumer (manual partition
 * assignment, no group) in a thread of its own, as a router reads the compacted topic.
 */
public final class HealthEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HealthEvents instance;

    /** A record of the topic; {@code value} is null for a tombstone. */
    public record Event(String key, JsonNode value, long offset) {

        public boolean tombstone() {
            return value == null;
        }

        public String status() {
            return value == null ? null : value.path("status").asText();
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();

    private HealthEvents(String bootstrap) {
        Thread reader = new Thread(() -> read(bootstrap), "health-events-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** A reader of its own, of the topic on this broker (for tests outside Quarkus, which run the monitor as processes). */
    public static HealthEvents on(String bootstrap) {
        return new HealthEvents(bootstrap);
    }

    public static synchronized HealthEvents get() {
        if (instance == null) {
            instance = new HealthEvents(
                    ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        }
        return instance;
    }

    public List<Event> forKey(String key) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if (e.key().equals(key)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Waits for a record of the key that matches; returns the first such record. */
    public Event await(String key, Predicate<Event> matching) {
        return await(key, matching, Duration.ofSeconds(30));
    }

    public Event await(String key, Predicate<Event> matching, Duration within) {
        return Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(50))
                .until(() -> forKey(key).stream().filter(matching).findFirst().orElse(null), e -> e != null);
    }

    public Event awaitStatus(String key, String status) {
        return await(key, e -> status.equals(e.status()));
    }

    public Event awaitTombstone(String key) {
        return await(key, Event::tombstone);
    }

    private void read(String bootstrap) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty()) {
                List<PartitionInfo> info = consumer.partitionsFor(Topics.PROVIDER_HEALTH_CHANGED,
                        Duration.ofSeconds(10));
                partitions = info == null ? List.of()
                        : info.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (true) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    events.add(new Event(record.key(), record.value() == null ? null : parse(record.value()),
                            record.offset()));
                }
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON on the topic: " + value, e);
        }
    }
}
