package io.visca.gateway.router.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.visca.gateway.router.usage.SpoolRecords.Entry;

/**
 * Sends the spool to Kafka in order, on a thread of its own: a batch at a time, each event keyed by its request id,
 * and commits the spool's checkpoint only past events the broker acknowledged (idempotent producer,
 * {@code acks=all}, at most 5 requests in flight, so a retry keeps the order). While Kafka is unreachable it retries
 * with backoff from the last checkpoint; the events wait on disk meanwhile. At least once: after a failure, events
 * sent but not acknowledged are sent again (billing stores each request id once).
 */
public final class UsageSender implements Runnable {

    private static final Logger LOG = Logger.getLogger(UsageSender.class);
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long FIRST_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final UsageSpool spool;
    private final Map<String, Object> producerConfig;
    private final String topic;
    private final int batchSize;
    private final IntConsumer sent;
    private volatile boolean running = true;
    private volatile long drainUntilNanos;
    private volatile boolean draining;
    private volatile Producer<String, byte[]> producer;
    private volatile Instant failingSince;
    private volatile Thread thread;
    private boolean topicReady;

    /**
     * @param kafka the application's Kafka settings ({@code kafka.*}: bootstrap servers, security); the producer's
     *        own settings are fixed here
     * @param sent told how many events Kafka acknowledged, after each batch
     */
    public UsageSender(UsageSpool spool, Map<String, Object> kafka, String topic, int batchSize, IntConsumer sent) {
        this.spool = spool;
        this.producerConfig = producerConfig(kafka);
        this.topic = topic;
        this.batchSize = batchSize;
        this.sent = sent;
    }

    static Map<String, Object> producerConfig(Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "router-usage");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // a spool batch (send-batch events of ~1 KB) in one produce request, not ~18 of 16 KB each: a third of the
        // broker's and the producer's CPU per event (bench/README.md)
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return config;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long cursor = spool.checkpoint();
        long backoff = FIRST_BACKOFF_MS;
        while (running) {
            try {
                UsageSpool.Batch batch = spool.read(cursor, batchSize);
                if (batch.entries().isEmpty()) {
                    if (batch.next() != cursor) {
                        spool.commit(batch.next(), 0); // skipped over unreadable bytes
                        cursor = batch.next();
                    } else if (draining) {
                        break; // everything spooled was sent
                    } else {
                        spool.awaitData(cursor, IDLE_WAIT_NANOS);
                    }
                    continue;
                }
                cursor = send(batch);
                backoff = FIRST_BACKOFF_MS;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (!running) {
                    break;
                }
                failed(e);
                closeProducer(Duration.ZERO);
                cursor = spool.checkpoint();
                pause(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
            if (draining && System.nanoTime() > drainUntilNanos) {
                break;
            }
        }
        closeProducer(Duration.ofSeconds(1));
    }

    /** Sends the batch and waits for its acknowledgements; commits the acknowledged part even when one failed. */
    private long send(UsageSpool.Batch batch) throws Exception {
        Producer<String, byte[]> kafka = producer;
        if (kafka == null) {
            ensureTopic();
            kafka = new KafkaProducer<>(producerConfig);
            producer = kafka;
        }
        List<Entry> entries = batch.entries();
        List<Future<RecordMetadata>> acks = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            acks.add(kafka.send(new ProducerRecord<>(topic, entry.key(), entry.value())));
        }
        int acked = 0;
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
                acked++;
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            if (acked > 0) {
                spool.commit(acked == entries.size() ? batch.next() : entries.get(acked).position(), acked);
                sent.accept(acked);
            }
        }
        if (failingSince != null) {
            failingSince = null;
            LOG.infof("usage-recorded events reach Kafka again; %d still wait in the spool", spool.pendingEvents());
        }
        return batch.next();
    }

    /** Creates the topic where the broker does not create topics itself; one try per connection until it exists. */
    private void ensureTopic() {
        if (topicReady) {
            return;
        }
        Map<String, Object> config = new HashMap<>();
        producerConfig.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "router-usage-admin");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all().get(10,
                    TimeUnit.SECONDS);
            LOG.infof("created Kafka topic %s", topic);
            topicReady = true;
        } catch (ExecutionException e) {
            topicReady = e.getCause() instanceof TopicExistsException;
            if (!topicReady) {
                LOG.debugf("creating topic %s failed (sending anyway): %s", topic, e.getCause().toString());
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debugf("creating topic %s failed (sending anyway): %s", topic, e.toString());
        }
    }

    private void failed(Exception e) {
        if (failingSince == null) {
            failingSince = Instant.now();
            LOG.warnf("usage-recorded events cannot be sent to Kafka (%s); they wait in the spool %s (%d now) and "
                    + "are sent in order once it is back", e.toString(), spool.dir(), spool.pendingEvents());
        } else {
            LOG.debugf("sending usage-recorded events still fails: %s", e.toString());
        }
    }

    private void pause(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (running && !draining && System.nanoTime() < until) {
            try {
                Thread.sleep(Math.min(50, millis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void closeProducer(Duration timeout) {
        Producer<String, byte[]> kafka = producer;
        producer = null;
        if (kafka != null) {
            try {
                kafka.close(timeout);
            } catch (RuntimeException e) {
                LOG.debugf("closing the usage producer: %s", e.toString());
            }
        }
    }

    /** Since when sending fails; null while Kafka takes the events. */
    public Instant failingSince() {
        return failingSince;
    }

    /**
     * Sends what is spooled for up to {@code grace} (when Kafka takes it), then stops; waits for the thread. Call
     * after the writer has stopped, and before the spool is closed.
     */
    public void stop(Duration grace) throws InterruptedException {
        Thread sender = thread;
        drainUntilNanos = System.nanoTime() + grace.toNanos();
        if (failingSince == null) {
            draining = true;
        } else {
            running = false; // Kafka is away: the events wait on disk for the next start
        }
        if (sender == null) {
            return;
        }
        sender.join(grace.toMillis() + 1_000);
        running = false;
        closeProducer(Duration.ZERO); // fails a send still waiting for its acknowledgement
        sender.join(5_000);
    }
}
