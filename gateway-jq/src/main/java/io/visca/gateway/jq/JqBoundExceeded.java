package io.visca.gateway.jq;

/**
 * A jq evaluation reached one of its {@link JqLimits}. Unchecked and not a {@code JsonQueryException}, so a jq
 * {@code try ... catch} cannot swallow it. Its message names the bound and never quotes the data.
 */
public final class JqBoundExceeded extends RuntimeException {

    /** Which bound. */
    public enum Bound {
        STEPS("step"),
        TIME("time"),
        MEMORY("memory"),
        DEPTH("recursion depth");

        private final String label;

        Bound(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Bound bound;

    JqBoundExceeded(Bound bound, String message) {
        super(message, null, false, false);
        this.bound = bound;
    }

    static JqBoundExceeded of(Bound bound, JqLimits limits) {
        return new JqBoundExceeded(bound, switch (bound) {
            case STEPS -> "exceeded the jq step bound (" + limits.maxSteps() + " steps)";
            case TIME -> "exceeded the jq time bound (" + limits.timeout().toMillis() + " ms)";
            case MEMORY -> "exceeded the jq memory bound (" + limits.maxMemoryBytes() + " bytes)";
            case DEPTH -> "exceeded the jq recursion depth bound (the stack ran out)";
        });
    }

    public Bound bound() {
        return bound;
    }
}
