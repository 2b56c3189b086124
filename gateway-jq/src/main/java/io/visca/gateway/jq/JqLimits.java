package io.visca.gateway.jq;

import java.time.Duration;

/**
 * The bounds of one jq evaluation. Whichever is reached first ends it with {@link JqBoundExceeded}.
 *
 * @param maxSteps expressions evaluated plus values they produced (a small transform takes a few hundred)
 * @param timeout wall-clock time of the evaluation
 * @param maxMemoryBytes bytes the evaluation may allocate (measured on its thread, garbage included), and the size
 *        a single value may be estimated at before it is built ({@code "x" * 1e9}, {@code tostring} of a huge
 *        array, {@code .[1e9] = 1})
 */
public record JqLimits(long maxSteps, Duration timeout, long maxMemoryBytes) {

    public JqLimits {
        if (maxSteps <= 0 || timeout == null || timeout.isNegative() || timeout.isZero() || maxMemoryBytes <= 0) {
            throw new IllegalArgumentException("jq limits must be positive: " + maxSteps + " steps, " + timeout
                    + ", " + maxMemoryBytes + " bytes");
        }
    }

    /** These bounds, none above {@code other}'s. */
    public JqLimits atMost(JqLimits other) {
        return new JqLimits(Math.min(maxSteps, other.maxSteps),
                timeout.compareTo(other.timeout) <= 0 ? timeout : other.timeout,
                Math.min(maxMemoryBytes, other.maxMemoryBytes));
    }
}
