package io.visca.gateway.router.routing;

import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.vertx.core.Future;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.error.GatewayError;

/**
 * What the router has learned about one endpoint, kept across snapshots as long as its base URL stays the same: its
 * circuit breaker (passive health), the health monitor's verdict (active health), requests in flight and an EWMA of
 * its latency to the response head.
 */
public final class EndpointState {

    /** Weight of the newest sample in the latency EWMA. */
    private static final double EWMA_ALPHA = 0.2;

    private final String key;
    private final String baseUrl;
    private final ActiveHealth health;
    private final BreakerSettings settings;
    private final long cooldownNanos;
    private volatile TypedGuard<Future<UpstreamResponse>> breaker;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile CircuitBreakerState breakerState = CircuitBreakerState.CLOSED;
    private volatile long openedAtNanos;
    private volatile double latencyMs = Double.NaN;

    EndpointState(String key, String baseUrl, ActiveHealth health, BreakerSettings breaker) {
        this.key = key;
        this.baseUrl = baseUrl;
        this.health = health;
        this.settings = breaker;
        this.cooldownNanos = breaker.cooldown().toNanos();
    }

    /**
     * Its circuit breaker, made on first use. N failures in a rolling window of N calls (failure ratio 1) are N
     * consecutive failures; then it stays open for the cooldown, then one trial call decides. Only failures that say
     * something about the endpoint count: a client error or an upstream 429 does not.
     */
    public TypedGuard<Future<UpstreamResponse>> breaker() {
        TypedGuard<Future<UpstreamResponse>> guard = breaker;
        if (guard == null) {
            synchronized (this) {
                if (breaker == null) {
                    breaker = TypedGuard.create(UpstreamResponseFutures.TYPE).withDescription("endpoint " + key)
                            .withCircuitBreaker().requestVolumeThreshold(settings.failureThreshold())
                            .failureRatio(1.0).delay(settings.cooldown().toMillis(), ChronoUnit.MILLIS)
                            .successThreshold(1).when(EndpointState::countsAgainstEndpoint)
                            .onStateChange(this::breakerChanged).done().withThreadOffload(false).build();
                }
                guard = breaker;
            }
        }
        return guard;
    }

    static boolean countsAgainstEndpoint(Throwable failure) {
        return !(failure instanceof GatewayError error) || error.failure().endpointFault();
    }

    /** What its circuit breaker reports on each change of state. */
    void breakerChanged(CircuitBreakerState state) {
        if (state == CircuitBreakerState.OPEN) {
            openedAtNanos = System.nanoTime();
        }
        breakerState = state;
    }

    /** {@code provider/endpoint}, the key of its health events. */
    public String key() {
        return key;
    }

    String baseUrl() {
        return baseUrl;
    }

    /**
     * Whether a request may go here now: the health monitor does not say DOWN, and its circuit is closed, half-open,
     * or open for longer than the cooldown (then the next request is its trial).
     */
    public boolean available(long nowNanos) {
        return !health.down() && breakerAllows(nowNanos);
    }

    /**
     * Whether its circuit breaker lets a request through now: closed, half-open, or open for longer than the cooldown.
     * What a request that fails open ({@link FailOpen}) asks of an endpoint: the health monitor's verdict is set
     * aside, the breaker's (what this router's own requests met) is not.
     */
    public boolean breakerAllows(long nowNanos) {
        CircuitBreakerState state = breakerState;
        return state != CircuitBreakerState.OPEN || nowNanos - openedAtNanos >= cooldownNanos;
    }

    /**
     * Why it is not {@link #available}, for error messages.
     *
     * @param withProbeDetail whether to quote the health monitor's reason (it names the URL and what it got)
     */
    public String unavailableReason(boolean withProbeDetail) {
        if (health.down()) {
            return "DOWN by the health monitor"
                    + (health.reason() == null || !withProbeDetail ? "" : " (" + health.reason() + ")");
        }
        return "circuit open after consecutive failures";
    }

    public boolean down() {
        return health.down();
    }

    public CircuitBreakerState breakerState() {
        return breakerState;
    }

    public AtomicInteger inFlight() {
        return inFlight;
    }

    /** EWMA of the latency to the response head in ms; NaN before the first sample. */
    public double latencyMs() {
        return latencyMs;
    }

    public void observeLatency(double sampleMs) {
        double previous = latencyMs;
        latencyMs = Double.isNaN(previous) ? sampleMs : previous + EWMA_ALPHA * (sampleMs - previous);
    }
}
