package io.visca.gateway.billing.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.visca.gateway.contracts.event.Topics;
import io.visca.gateway.contracts.event.UsageRecorded;
import io.visca.gateway.kit.json.WireNamingStrategy;

/**
 * Publishes usage-recorded events to the real topic with a real producer, as the router does: key = request id, the
 * value JSON in the contracts' naming. Builds events with unique ids and keys, so tests do not see each other's data.
 */
public final class UsageEvents {

    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(new WireNamingStrategy())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static KafkaProducer<String, byte[]> producer;
    private static String bootstrapServers;

    private UsageEvents() {
    }

    /** A name no other test (or earlier run against the same database) uses. */
    public static String unique(String prefix) {
        return prefix + "-" + RUN + "-" + SEQUENCE.incrementAndGet();
    }

    public static byte[] json(UsageRecorded event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the events (key = request id) and waits until the broker has them all. */
    public static void send(UsageRecorded... events) {
        for (UsageRecorded e : events) {
            sendRaw(e.requestId(), json(e));
        }
        flush();
    }

    public static void send(List<UsageRecorded> events) {
        send(events.toArray(UsageRecorded[]::new));
    }

    /** Sends any value, e.g. a malformed one, without waiting. */
    public static Future<RecordMetadata> sendRaw(String key, byte[] value) {
        return producer().send(new ProducerRecord<>(Topics.USAGE_RECORDED, key, value));
    }

    public static Future<RecordMetadata> sendRaw(String key, String value) {
        return sendRaw(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public static void flush() {
        producer().flush();
    }

    /** Waits until the broker has it; its partition and offset. */
    public static RecordMetadata await(Future<RecordMetadata> sent) {
        flush();
        try {
            return sent.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("sending to Kafka failed", e);
        }
    }

    /** Outside a Quarkus test: the broker to send to (otherwise the application's kafka.bootstrap.servers). */
    public static synchronized void useBroker(String servers) {
        bootstrapServers = servers;
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers != null ? bootstrapServers
                    : ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(p);
            Runtime.getRuntime().addShutdownHook(new Thread(producer::close));
        }
        return producer;
    }
}
