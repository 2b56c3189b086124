package io.visca.gateway.jq;

import java.lang.management.ManagementFactory;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one evaluation has used of its {@link JqLimits}: steps counted by the instrumented tree ({@link Guard}), the
 * clock and the bytes allocated on the evaluating thread, checked every {@link #CHECK_EVERY} steps, and estimates of
 * single values about to be built, checked before they are. Held in a thread local for the evaluation's duration:
 * jq evaluates on the calling thread only.
 */
final class JqBudget {

    static final int CHECK_EVERY = 256;
    private static final ThreadLocal<JqBudget> CURRENT = new ThreadLocal<>();
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private final JqLimits limits;
    private final long deadline;
    /**
     * The thread's allocation counter when the first check ran ({@link #UNSET} before): reading it costs more than a
     * small transform, so evaluations that end within {@link #CHECK_EVERY} steps never read it. What they allocate
     * is bounded by their few steps, and single large values are estimated before they are built.
     */
    private long allocatedAtStart = UNSET;
    private long steps;
    private boolean finished;

    private static final long UNSET = Long.MIN_VALUE;

    private JqBudget(JqLimits limits) {
        this.limits = limits;
        this.deadline = System.nanoTime() + limits.timeout().toNanos();
    }

    static JqBudget current() {
        return CURRENT.get();
    }

    /** Starts counting on this thread; {@link #close()} stops. */
    static JqBudget open(JqLimits limits) {
        JqBudget budget = new JqBudget(limits);
        CURRENT.set(budget);
        return budget;
    }

    void close() {
        CURRENT.remove();
    }

    JqLimits limits() {
        return limits;
    }

    /** The evaluation has its result: any further step ends it ({@link Finished}). */
    void finish() {
        finished = true;
    }

    void step() {
        if (finished) {
            throw Finished.INSTANCE;
        }
        if (++steps > limits.maxSteps()) {
            throw JqBoundExceeded.of(JqBoundExceeded.Bound.STEPS, limits);
        }
        if ((steps & (CHECK_EVERY - 1)) == 0) {
            check();
        }
    }

    /** Time and memory now. */
    void check() {
        if (System.nanoTime() - deadline > 0) {
            throw JqBoundExceeded.of(JqBoundExceeded.Bound.TIME, limits);
        }
        if (used() > limits.maxMemoryBytes()) {
            throw JqBoundExceeded.of(JqBoundExceeded.Bound.MEMORY, limits);
        }
    }

    /** {@link #check()}, when a check already ran (short evaluations end without reading the counter). */
    void checkIfMeasured() {
        if (allocatedAtStart != UNSET) {
            check();
        }
    }

    /** Bytes still free; an estimate above it ends the evaluation before the value is built. */
    long remaining() {
        return Math.max(0, limits.maxMemoryBytes() - used());
    }

    /** Refuses a value estimated at {@code bytes} before it is built. */
    void reserve(long bytes) {
        if (bytes < 0 || bytes > remaining()) {
            throw JqBoundExceeded.of(JqBoundExceeded.Bound.MEMORY, limits);
        }
    }

    /** An array index a path may pad an array up to. */
    void index(double index) {
        if (index > 0) {
            reserve((long) Math.min(index, Long.MAX_VALUE / 16) * 8);
        }
    }

    private long used() {
        if (THREADS == null) {
            return 0;
        }
        if (allocatedAtStart == UNSET) {
            allocatedAtStart = allocated();
            return 0;
        }
        return allocated() - allocatedAtStart;
    }

    /**
     * The size of {@code node} once serialized or copied (strings at their length, 16 bytes per value, 8 per element),
     * counted up to {@code cap} and no further, so a structure shared with itself many times costs at most
     * {@code cap} to measure.
     */
    static long deepSize(JsonNode node, long cap) {
        long[] total = { 0 };
        deepSize(node, cap, total);
        return total[0];
    }

    private static void deepSize(JsonNode node, long cap, long[] total) {
        if (total[0] > cap) {
            return;
        }
        total[0] += 16;
        if (node.isTextual()) {
            total[0] += node.textValue().length();
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                total[0] += 8;
                deepSize(element, cap, total);
                if (total[0] > cap) {
                    return;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                total[0] += 8 + field.getKey().length();
                deepSize(field.getValue(), cap, total);
                if (total[0] > cap) {
                    return;
                }
            }
        }
    }

    /** Ends an evaluation that goes on after its result; not a jq error, so no jq {@code try} catches it. */
    static final class Finished extends RuntimeException {
        static final Finished INSTANCE = new Finished();

        private Finished() {
            super(null, null, false, false);
        }
    }

    private static long allocated() {
        return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
    }

    private static com.sun.management.ThreadMXBean threads() {
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                    && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()) {
                return bean;
            }
        } catch (RuntimeException | LinkageError e) {
            // no allocation counter on this JVM: the estimates alone bound memory
        }
        return null;
    }
}
