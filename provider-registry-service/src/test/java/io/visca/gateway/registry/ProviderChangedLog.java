package io.visca.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.visca.gateway.contracts.event.Topics;

/** The {@code provider-changed} topic read from its start in a group of its own, in the order Kafka holds it. */
final class ProviderChangedLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One record: its key, revision and partition. */
    record Event(String key, long revision, int partition) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Event> events = new ArrayList<>();

    ProviderChangedLog(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "two-instances-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.PROVIDER_CHANGED));
    }

    /**
     * Reads until {@code count} distinct revisions in ({@code from}, {@code to}] arrived (60 s at most), then 2 s
     * more (so that duplicates show); returns every record read, in each partition's order.
     */
    List<Event> awaitRevisions(long from, long to, long count) {
        Set<Long> seen = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long settle = Long.MAX_VALUE;
        while (System.nanoTime() < Math.min(deadline, settle)) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                long revision;
                try {
                    revision = JSON.readTree(record.value()).path("revision").asLong();
                } catch (Exception e) {
                    throw new AssertionError("unreadable provider-changed event: " + record.value(), e);
                }
                events.add(new Event(record.key(), revision, record.partition()));
                if (revision > from && revision <= to) {
                    seen.add(revision);
                }
            }
            if (seen.size() >= count && settle == Long.MAX_VALUE) {
                settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            }
        }
        return List.copyOf(events);
    }

    /**
     * Each key's records after {@code from}, repeats of a revision already delivered left out, have growing
     * revisions: an event may come again (at least once), but none comes after a newer one of its key.
     */
    static void assertFirstDeliveriesInRevisionOrderPerKey(List<Event> events, long from) {
        Map<String, Long> last = new HashMap<>();
        Set<Long> delivered = new HashSet<>();
        for (Event event : events) {
            if (event.revision() <= from || !delivered.add(event.revision())) {
                continue;
            }
            Long before = last.put(event.key(), event.revision());
            assertTrue(before == null || before < event.revision(), "revision " + event.revision() + " of "
                    + event.key() + " came after revision " + before + ": " + events);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
