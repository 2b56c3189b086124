package io.visca.gateway.router.adapter.custom;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.visca.gateway.jq.BoundedJq;
import io.visca.gateway.jq.JqBoundExceeded;
import io.visca.gateway.jq.JqLimits;
import io.visca.gateway.router.config.RouterConfig;

/**
 * Runs custom providers' jq transforms within {@code router.jq.*}. An evaluation starts where it is asked for (the
 * request's event loop) with a small budget, which a normal transform never exhausts; one that does is run again
 * from the start on a bounded worker pool with the full budget, so no transform holds an event loop for more than
 * the inline budget. The result is delivered on the caller's context either way.
 */
@Singleton
public class JqTransforms {

    /** The most an inline evaluation may allocate and take, whatever {@code router.jq.*} say. */
    private static final long INLINE_MAX_MEMORY = 4L << 20;
    private static final Duration INLINE_TIMEOUT = Duration.ofMillis(10);

    private final JqLimits inline;
    private final JqLimits full;
    private final WorkerExecutor workers;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();

    /** Thrown when the worker pool's queue is full. */
    static final class Busy extends RuntimeException {
        Busy() {
            super("the jq worker pool is busy", null, false, false);
        }
    }

    @Inject
    JqTransforms(RouterConfig config, Vertx vertx) {
        RouterConfig.Jq jq = config.jq();
        this.full = new JqLimits(jq.maxSteps(), jq.timeout(), jq.maxMemory());
        this.inline = new JqLimits(jq.inlineMaxSteps(), INLINE_TIMEOUT, INLINE_MAX_MEMORY).atMost(full);
        this.workers = vertx.createSharedWorkerExecutor("visca-jq", jq.workers(),
                Math.max(jq.timeout().toMillis() * 4, 10_000), java.util.concurrent.TimeUnit.MILLISECONDS);
        this.maxWaiting = jq.workers() + jq.maxQueued();
    }

    /** Everything on the calling thread with {@code limits} (adapter unit tests without Vert.x). */
    JqTransforms(JqLimits limits) {
        this.full = limits;
        this.inline = limits;
        this.workers = null;
        this.maxWaiting = 0;
    }

    static JqTransforms defaults() {
        return new JqTransforms(new JqLimits(10_000_000, Duration.ofSeconds(1), 64L << 20));
    }

    JqLimits inlineLimits() {
        return inline;
    }

    JqLimits fullLimits() {
        return full;
    }

    /**
     * The program's first output on {@code input} (null when it has none). Fails with {@code JsonQueryException}
     * (the program failed), {@link JqBoundExceeded} (it reached a bound) or {@link Busy}.
     */
    public Future<JsonNode> first(BoundedJq program, JsonNode input) {
        try {
            return Future.succeededFuture(program.first(input, inline));
        } catch (JqBoundExceeded e) {
            if (workers == null || e.bound() == JqBoundExceeded.Bound.DEPTH || inline.equals(full)) {
                return Future.failedFuture(e);
            }
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            return Future.failedFuture(new Busy());
        }
        return workers.<JsonNode> executeBlocking(() -> {
            try {
                return program.first(input, full);
            } finally {
                waiting.decrementAndGet();
            }
        }, false);
    }

    @PreDestroy
    void close() {
        if (workers != null) {
            workers.close();
        }
    }
}
