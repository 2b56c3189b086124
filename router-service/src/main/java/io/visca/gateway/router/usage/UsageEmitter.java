package io.visca.gateway.router.usage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.visca.gateway.contracts.event.Topics;

/**
 * Publishes every {@link FinishedRequest} as {@code usage-recorded} and turns it into metrics, without an event loop
 * ever blocking: the event loop only puts the request on a lock-free queue ({@link #submit}) and wakes the usage
 * thread. That thread takes them from there in batches, records their metrics, writes each as the event's JSON into
 * the {@link UsageSpool}, writes the batch to the spool file and only then lets the requests send their last bytes;
 * it fsyncs every {@code router.usage.spool.fsync-interval}. So a request the client saw answered is in the spool
 * file even when the router is killed the next instant; only a crash of the machine can lose up to the fsync
 * interval. The {@link UsageSender} thread sends the spool to Kafka in order; while Kafka is away the events stay on
 * disk (bounded), also across a restart.
 */
@Singleton
public class UsageEmitter {

    private static final Logger LOG = Logger.getLogger(UsageEmitter.class);
    private static final int BATCH = 1024;

    private final UsageConfig config;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Map<String, Object> kafka;
    private final UsageMetrics metrics;
    private final UsageDrops drops;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final boolean writeBeforeAnswer;
    private volatile UsageSpool spool;
    private volatile UsageSender sender;
    private volatile Thread writer;
    private Thread sending;
    private volatile boolean stopping;
    private volatile boolean idle;
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
        this.writeBeforeAnswer = config.spool().writeBeforeAnswer();
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

    /**
     * On the request's event loop: hands the request over and never blocks. The future completes on the same event
     * loop once the request's event is in the spool file (the OS's page cache: it survives the router process being
     * killed), or at once when {@code router.usage.spool.write-before-answer} is off; also when the event is dropped
     * (a full queue or spool, a disk error: counted and logged), so an answer never waits for more than the write.
     */
    Future<Void> submit(FinishedRequest request) {
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            drops.dropped(UsageDrops.Reason.QUEUE_FULL, request.requestId(), 1);
            return Future.succeededFuture();
        }
        Thread usageThread = writer;
        if (!writeBeforeAnswer || usageThread == null || stopping) {
            queue.offer(new Pending(request, null, null));
            return Future.succeededFuture();
        }
        Promise<Void> written = Promise.promise();
        queue.offer(new Pending(request, Vertx.currentContext(), written));
        if (idle) {
            LockSupport.unpark(usageThread);
        }
        return written.future();
    }

    /** A request on its way to the spool, and whom to tell once its event is in the spool file. */
    private record Pending(FinishedRequest request, Context context, Promise<Void> written) {

        void done() {
            if (written == null) {
                return;
            }
            if (context == null) {
                written.complete();
            } else {
                context.runOnContext(v -> written.complete());
            }
        }
    }

    /**
     * The usage thread: metrics, JSON and the spool; each batch is written to the spool file before the requests in
     * it are told, and the file is fsynced every interval.
     */
    private void write() {
        long interval = config.spool().fsyncInterval().toNanos();
        long flushedAt = System.nanoTime();
        List<Pending> batch = new ArrayList<>(BATCH);
        while (true) {
            boolean stop = stopping; // read before draining: what was queued before the stop is still written
            Pending pending;
            while ((pending = queue.poll()) != null) {
                queued.decrementAndGet();
                handle(pending.request());
                batch.add(pending);
                if (batch.size() == BATCH) {
                    release(batch);
                }
            }
            release(batch);
            long now = System.nanoTime();
            if (spool.dirty() && (stop || now - flushedAt >= interval)) {
                flush();
                flushedAt = now;
            }
            if (stop) {
                return;
            }
            drops.report();
            long wait = spool.dirty() ? Math.max(0, interval - (now - flushedAt)) : interval;
            idle = true;
            if (queue.isEmpty()) {
                LockSupport.parkNanos(this, wait);
            }
            idle = false;
        }
    }

    /** Writes the batch's events to the spool file (not yet fsynced) and tells their requests. */
    private void release(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            spool.writeOut();
        } catch (UsageSpool.WriteFailed e) {
            diskError(e, null, e.lost);
        }
        batch.forEach(Pending::done);
        batch.clear();
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
            if (!spool.append(request.eventId(), value)) {
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
