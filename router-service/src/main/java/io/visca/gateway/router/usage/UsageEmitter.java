package io.visca.gateway.router.usage;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.visca.gateway.contracts.event.Topics;

/**
 * Publishes every {@link FinishedRequest} as {@code usage-recorded} and turns it into metrics, without the request
 * ever waiting: the event loop only puts the request on a lock-free queue ({@link #on}). The usage thread takes
 * them from there, records their metrics, writes each as the event's JSON into the {@link UsageSpool} and fsyncs
 * every {@code router.usage.spool.fsync-interval}; the {@link UsageSender} thread sends the spool to Kafka in order.
 * While Kafka is away the events stay on disk (bounded), also across a restart.
 */
@Singleton
public class UsageEmitter {

    private static final Logger LOG = Logger.getLogger(UsageEmitter.class);

    private final UsageConfig config;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Map<String, Object> kafka;
    private final UsageMetrics metrics;
    private final UsageDrops drops;
    private final ConcurrentLinkedQueue<FinishedRequest> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private volatile UsageSpool spool;
    private volatile UsageSender sender;
    private Thread writer;
    private Thread sending;
    private volatile boolean stopping;
    private boolean metricsFailed;

    UsageEmitter(UsageConfig config, ObjectMapper json, MeterRegistry registry,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config;
        // costs as plain decimals (0.0000150000, not 1.5E-5)
        this.json = json.copy().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        this.registry = registry;
        this.kafka = kafka;
        this.metrics = new UsageMetrics(registry);
        this.drops = new UsageDrops(registry);
        this.capacity = config.queueCapacity();
    }

    /** Opens the spool (a directory that cannot be used stops the start) and starts the two threads. */
    void start(@Observes StartupEvent event) throws IOException {
        UsageConfig.Spool settings = config.spool();
        UsageSpool opened = UsageSpool.open(settings.dir(), settings.maxBytes().asLongValue(),
                settings.segmentBytes().asLongValue());
        spool = opened;
        Counter sent = Counter.builder("visca.gateway.usage.events.sent")
                .description("usage-recorded events Kafka acknowledged").register(registry);
        sender = new UsageSender(opened, kafka, Topics.USAGE_RECORDED, config.sendBatch(), sent::increment);
        Gauge.builder("visca.gateway.usage.spool.pending.events", opened, UsageSpool::pendingEvents)
                .description("usage-recorded events in the spool that Kafka has not acknowledged")
                .strongReference(true).register(registry);
        Gauge.builder("visca.gateway.usage.spool.size", opened, UsageSpool::sizeBytes).baseUnit("bytes")
                .description("Disk space the usage spool takes").strongReference(true).register(registry);
        Gauge.builder("visca.gateway.usage.spool.limit", opened, UsageSpool::maxBytes).baseUnit("bytes")
                .description("router.usage.spool.max-bytes").strongReference(true).register(registry);
        Gauge.builder("visca.gateway.usage.publish.failing", this, e -> e.sender.failingSince() == null ? 0 : 1)
                .description("1 while usage-recorded events cannot be sent to Kafka").strongReference(true)
                .register(registry);
        writer = new Thread(this::write, "usage-writer");
        writer.setDaemon(true);
        writer.start();
        sending = new Thread(sender, "usage-sender");
        sending.setDaemon(true);
        sending.start();
        LOG.infof("usage-recorded events go through the spool %s (%d waiting, at most %d MiB) to Kafka topic %s",
                settings.dir().toAbsolutePath(), opened.pendingEvents(), settings.maxBytes().asLongValue() >> 20,
                Topics.USAGE_RECORDED);
    }

    /** On the request's event loop: hands the request over, never blocks; drops it when the queue is full. */
    void on(@Observes FinishedRequest request) {
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            drops.dropped(UsageDrops.Reason.QUEUE_FULL, request.requestId(), 1);
            return;
        }
        queue.offer(request);
    }

    /** The usage thread: metrics, JSON, spool, and an fsync per interval. */
    private void write() {
        long interval = config.spool().fsyncInterval().toNanos();
        long flushedAt = System.nanoTime();
        while (true) {
            boolean stop = stopping; // read before draining: what was queued before the stop is still written
            int handled = 0;
            FinishedRequest request;
            while ((request = queue.poll()) != null) {
                queued.decrementAndGet();
                handle(request);
                if (++handled % 1024 == 0 && System.nanoTime() - flushedAt >= interval) {
                    flush();
                    flushedAt = System.nanoTime();
                }
            }
            long now = System.nanoTime();
            if (spool.dirty() && (stop || now - flushedAt >= interval)) {
                flush();
                flushedAt = now;
            }
            if (stop) {
                return;
            }
            drops.report();
            LockSupport.parkNanos(this, spool.dirty() ? Math.max(0, interval - (now - flushedAt)) : interval);
        }
    }

    private void handle(FinishedRequest request) {
        try {
            metrics.record(request);
        } catch (RuntimeException e) {
            if (!metricsFailed) {
                metricsFailed = true;
                LOG.errorf(e, "recording the metrics of request %s failed (logged once)", request.requestId());
            }
        }
        byte[] value;
        try {
            value = json.writeValueAsBytes(UsageEvents.of(request));
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "usage-recorded event of request %s cannot be written", request.requestId());
            drops.dropped(UsageDrops.Reason.UNWRITABLE, request.requestId(), 1);
            return;
        }
        try {
            if (!spool.append(request.requestId(), value)) {
                drops.dropped(UsageDrops.Reason.SPOOL_FULL, request.requestId(), 1);
            }
        } catch (UsageSpool.WriteFailed e) {
            diskError(e, request.requestId(), e.lost + 1);
        } catch (RuntimeException e) {
            LOG.errorf(e, "usage-recorded event of request %s cannot be spooled", request.requestId());
            drops.dropped(UsageDrops.Reason.UNWRITABLE, request.requestId(), 1);
        }
    }

    private void flush() {
        try {
            spool.flush();
        } catch (UsageSpool.WriteFailed e) {
            diskError(e, null, e.lost);
        }
    }

    private void diskError(UsageSpool.WriteFailed e, String requestId, long lost) {
        LOG.errorf("usage spool %s: a write failed (%s); %d events since the last fsync are lost", spool.dir(),
                e.getMessage(), lost);
        drops.dropped(UsageDrops.Reason.DISK_ERROR, requestId, lost);
    }

    /** The spool, for health and tests; null before the start. */
    public UsageSpool spool() {
        return spool;
    }

    /** The sender, for health and tests; null before the start. */
    public UsageSender sender() {
        return sender;
    }

    /** Events dropped since the start, for every reason. */
    public long dropped() {
        return drops.total();
    }

    /** Writes what is queued, lets the sender hand Kafka what it can within the grace, and closes the spool. */
    @PreDestroy
    void stop() {
        if (writer == null) {
            return;
        }
        try {
            stopping = true;
            LockSupport.unpark(writer);
            writer.join(10_000);
            sender.stop(config.shutdownGrace());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            spool.close();
        } catch (IOException e) {
            LOG.errorf("closing the usage spool %s: %s", spool.dir(), e.getMessage());
        }
        if (spool.pendingEvents() > 0) {
            LOG.infof("%d usage-recorded events wait in the spool %s for the next start", spool.pendingEvents(),
                    spool.dir());
        }
    }
}
