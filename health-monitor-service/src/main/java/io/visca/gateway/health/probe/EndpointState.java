package io.visca.gateway.health.probe;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.visca.gateway.contracts.event.ProviderHealthChanged;

/**
 * The live health of one endpoint: UNKNOWN until its first status is determined, then UP or DOWN. It turns DOWN
 * after {@code failure_threshold} consecutive failed probes and UP after {@code success_threshold} consecutive good
 * ones (from UNKNOWN too); the counters and thresholds are those of the target in force. Keeps its last transitions.
 * Thread-safe.
 */
public final class EndpointState {

    public static final String UNKNOWN = "UNKNOWN";
    public static final String UP = "UP";
    public static final String DOWN = "DOWN";

    /**
     * A change of status.
     *
     * @param previousStatus null for the first status determined since the monitor started
     */
    public record Transition(String status, String previousStatus, String reason, Long latencyMs,
            int consecutiveFailures, int consecutiveSuccesses, Instant at) {
    }

    /** A consistent copy of the state, for the status API. */
    public record Snapshot(String status, Instant lastCheckedAt, Long latencyMs, Integer lastHttpStatus,
            int consecutiveFailures, int consecutiveSuccesses, String lastReason, List<Transition> transitions) {
    }

    private final int transitionsKept;
    private final Deque<Transition> transitions = new ArrayDeque<>();
    private String status = UNKNOWN;
    private Instant lastCheckedAt;
    private Long latencyMs;
    private Integer lastHttpStatus;
    private int consecutiveFailures;
    private int consecutiveSuccesses;
    private String lastReason;

    public EndpointState(int transitionsKept) {
        this.transitionsKept = Math.max(1, transitionsKept);
    }

    /**
     * Takes up where the instance that published {@code recent} (the endpoint's last events on the topic, oldest
     * first) left off: its status and transitions, with the counters at zero. An instance that takes an endpoint over
     * (a handover, a restart) so publishes only real changes from then on.
     */
    public synchronized void resume(List<ProviderHealthChanged> recent, int successThreshold) {
        if (recent.isEmpty()) {
            return;
        }
        for (ProviderHealthChanged event : recent) {
            transitions.addLast(transition(event, successThreshold));
        }
        while (transitions.size() > transitionsKept) {
            transitions.removeFirst();
        }
        ProviderHealthChanged last = recent.get(recent.size() - 1);
        status = UP.equals(last.status()) || DOWN.equals(last.status()) ? last.status() : UNKNOWN;
        lastCheckedAt = last.checkedAt();
        latencyMs = last.latencyMs();
        lastReason = last.reason();
    }

    /**
     * The state of an endpoint another instance probes, as its events on the topic tell it ({@code recent}, oldest
     * first; none: UNKNOWN).
     */
    public static Snapshot published(List<ProviderHealthChanged> recent, int successThreshold) {
        EndpointState state = new EndpointState(recent.size());
        state.resume(recent, successThreshold);
        ProviderHealthChanged last = recent.isEmpty() ? null : recent.get(recent.size() - 1);
        return new Snapshot(state.status, state.lastCheckedAt, state.latencyMs, null,
                last == null ? 0 : last.consecutiveFailures(),
                last != null && UP.equals(last.status()) ? successThreshold : 0, state.lastReason,
                new ArrayList<>(state.transitions));
    }

    /** A published event as a transition; an UP was decided by {@code successThreshold} good probes in a row. */
    private static Transition transition(ProviderHealthChanged event, int successThreshold) {
        boolean up = UP.equals(event.status());
        return new Transition(event.status(), event.previousStatus(), event.reason(), event.latencyMs(),
                up ? 0 : event.consecutiveFailures(), up ? successThreshold : 0, event.checkedAt());
    }

    /**
     * Counts a probe's result.
     *
     * @return the transition it caused, or null
     */
    public synchronized Transition record(ProbeResult result, int failureThreshold, int successThreshold,
            Instant at) {
        lastCheckedAt = at;
        latencyMs = result.latencyMs();
        lastHttpStatus = result.httpStatus();
        lastReason = result.reason();
        String next = null;
        if (result.healthy()) {
            consecutiveSuccesses++;
            consecutiveFailures = 0;
            if (!UP.equals(status) && consecutiveSuccesses >= successThreshold) {
                next = UP;
            }
        } else {
            consecutiveFailures++;
            consecutiveSuccesses = 0;
            if (!DOWN.equals(status) && consecutiveFailures >= failureThreshold) {
                next = DOWN;
            }
        }
        if (next == null) {
            return null;
        }
        Transition transition = new Transition(next, UNKNOWN.equals(status) ? null : status, result.reason(),
                result.latencyMs(), consecutiveFailures, consecutiveSuccesses, at);
        status = next;
        transitions.addLast(transition);
        while (transitions.size() > transitionsKept) {
            transitions.removeFirst();
        }
        return transition;
    }

    /**
     * The endpoint was not probed ({@code reason}, e.g. no credentials): the reason and time are shown, nothing is
     * counted and the status stays; the counters start again, so the next probes decide afresh.
     */
    public synchronized void notProbed(String reason, Instant at) {
        lastCheckedAt = at;
        lastReason = reason;
        lastHttpStatus = null;
        latencyMs = null;
        consecutiveFailures = 0;
        consecutiveSuccesses = 0;
    }

    /** The probe changed (path, auth, thresholds...): the counters start again, the status stays until they decide. */
    public synchronized void restartCounts() {
        consecutiveFailures = 0;
        consecutiveSuccesses = 0;
    }

    public synchronized String status() {
        return status;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(status, lastCheckedAt, latencyMs, lastHttpStatus, consecutiveFailures,
                consecutiveSuccesses, lastReason, new ArrayList<>(transitions));
    }
}
