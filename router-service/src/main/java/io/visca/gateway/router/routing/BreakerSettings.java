package io.visca.gateway.router.routing;

import java.time.Duration;

/** Per-endpoint circuit breaker: consecutive failures that open it, and how long it stays open before a trial. */
public record BreakerSettings(int failureThreshold, Duration cooldown) {
}
