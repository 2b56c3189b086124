package io.visca.gateway.router.routing;

import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.faulttolerance.api.TypedGuard;
import io.vertx.core.Future;
import io.visca.gateway.contracts.provider.RateLimitConfig;
import io.visca.gateway.contracts.provider.RetryConfig;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.error.GatewayError;

/**
 * What the router keeps about one provider across snapshots while its retry and rate limit settings stay the same: a
 * guard around each attempt on it (retries with exponential backoff and jitter; the requests-per-minute limit is
 * global, {@link io.visca.gateway.router.quota.ProviderRates}),
 * requests in flight (its {@code max_concurrent}, and least-busy routing), and until when it asked for a pause with
 * a 429's {@code Retry-After}.
 */
public final class ProviderState {

    private final RetryConfig retry;
    private final RateLimitConfig rateLimit;
    private final String provider;
    private volatile TypedGuard<Future<UpstreamResponse>> guard;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long pausedUntilNanos;

    ProviderState(String provider, RetryConfig retry, RateLimitConfig rateLimit) {
        this.provider = provider;
        this.retry = retry;
        this.rateLimit = rateLimit;
    }

    /** Retries around each attempt on this provider (made on first use). */
    public TypedGuard<Future<UpstreamResponse>> guard() {
        TypedGuard<Future<UpstreamResponse>> made = guard;
        if (made == null) {
            synchronized (this) {
                if (guard == null) {
                    guard = build();
                }
                made = guard;
            }
        }
        return made;
    }

    private TypedGuard<Future<UpstreamResponse>> build() {
        TypedGuard.Builder<Future<UpstreamResponse>> builder = TypedGuard.create(UpstreamResponseFutures.TYPE)
                .withDescription("provider " + provider).withThreadOffload(false);
        if (retry.maxRetries() > 0) {
            long backoff = Math.max(1, retry.backoffMs());
            builder.withRetry().maxRetries(retry.maxRetries()).delay(backoff, ChronoUnit.MILLIS)
                    .jitter(Math.max(1, backoff / 2), ChronoUnit.MILLIS)
                    .whenException(ProviderState::worthRetrying)
                    .withExponentialBackoff().factor(2).maxDelay(Math.max(backoff, 10_000), ChronoUnit.MILLIS)
                    .done().done();
        }
        return builder.build();
    }

    /**
     * Another try on the same provider: after a failure of the endpoint or the connection, a timeout or a 5xx. Not
     * after a client error, nor after a 429 (the provider asked for a pause: the next candidate goes first).
     */
    static boolean worthRetrying(Throwable failure) {
        return failure instanceof GatewayError error && error.failure().endpointFault();
    }

    boolean sameSettings(RetryConfig otherRetry, RateLimitConfig otherLimit) {
        return retry.equals(otherRetry) && Objects.equals(rateLimit, otherLimit);
    }

    public AtomicInteger inFlight() {
        return inFlight;
    }

    /** Whether its {@code max_concurrent} is reached. */
    public boolean full() {
        return rateLimit != null && rateLimit.maxConcurrent() != null && inFlight.get() >= rateLimit.maxConcurrent();
    }

    /** Honours a 429's {@code Retry-After}: no request goes to this provider for that long. */
    public void pause(long seconds) {
        if (seconds > 0) {
            pausedUntilNanos = System.nanoTime() + seconds * 1_000_000_000L;
        }
    }

    /** Seconds left of a {@link #pause}, 0 when none. */
    public long pausedSeconds(long nowNanos) {
        long left = pausedUntilNanos - nowNanos;
        return left <= 0 ? 0 : Math.max(1, left / 1_000_000_000L);
    }
}
