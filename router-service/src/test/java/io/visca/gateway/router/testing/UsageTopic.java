package io.visca.gateway.router.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.visca.gateway.infra.test.GatewayInfraResource;

/**
 * A topic read as billing reads it: a real {@link KafkaConsumer} on the test broker, every partition from the
 * beginning, keeping every record it saw in the order it saw them (per partition, the topic's order).
 */
public final class UsageTopic implements AutoCloseable {

    /** Decimals read as written (0.0010500000 stays that), as billing reads costs. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();
    private boolean assigned;

    public UsageTopic(String topic) {
        this.topic = topic;
        Properties config = new Properties();
        config.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, GatewayInfraResource.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "usage-tests-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        consumer = new KafkaConsumer<>(config);
    }

    /**
     * The value of the first event of request {@code requestId} (its {@code request_id}; the record's key is the
     * event id), waiting up to {@code within} for it.
     */
    public JsonNode await(String requestId, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<ConsumerRecord<String, String>> found = records(requestId);
            if (!found.isEmpty()) {
                return read(found.get(0).value());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + topic + " event of request " + requestId + " within " + within);
            }
            poll(Duration.ofMillis(200));
        }
    }

    /** Waits until every key (the records' keys) was seen. */
    public void awaitAll(List<String> keys, Duration within) {
        awaitSeen(keys, this::keys, "events", within);
    }

    /** Waits until an event of every one of these requests was seen. */
    public void awaitRequests(List<String> requestIds, Duration within) {
        awaitSeen(requestIds, this::requestIds, "requests' events", within);
    }

    private void awaitSeen(List<String> wanted, Supplier<List<String>> seenSoFar, String what, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!seenSoFar.get().containsAll(wanted)) {
            if (System.nanoTime() > deadline) {
                List<String> missing = new ArrayList<>(wanted);
                missing.removeAll(seenSoFar.get());
                throw new AssertionError(missing.size() + " of " + wanted.size() + " " + what + " missing from "
                        + topic + " after " + within + ": " + missing);
            }
            poll(Duration.ofMillis(200));
        }
    }

    /** Reads on for a while, to see whether more events come. */
    public void pollFor(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            poll(Duration.ofMillis(100));
        }
    }

    /** The records seen so far of request {@code requestId} (by the event's {@code request_id}). */
    public List<ConsumerRecord<String, String>> records(String requestId) {
        return seen.stream().filter(r -> requestId.equals(requestId(r))).toList();
    }

    /** The request id of every event seen so far, in order. */
    public List<String> requestIds() {
        return seen.stream().map(UsageTopic::requestId).toList();
    }

    /** The event's {@code request_id}; null when the value is no usage event. */
    public static String requestId(ConsumerRecord<String, String> record) {
        try {
            JsonNode id = JSON.readTree(record.value()).get("request_id");
            return id == null ? null : id.asText();
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The keys of every record seen so far, in order. */
    public List<String> keys() {
        return seen.stream().map(ConsumerRecord::key).toList();
    }

    /** How many partitions the topic has (0 before it exists). */
    public int partitions() {
        return consumer.partitionsFor(topic, Duration.ofSeconds(10)).size();
    }

    private void poll(Duration timeout) {
        if (!assigned) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (partitions.isEmpty()) {
                RouterApi.sleep(timeout.toMillis());
                return; // created with the first event
            }
            List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            assigned = true;
        }
        consumer.poll(timeout).forEach(seen::add);
    }

    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
