package io.visca.gateway.contracts.provider;

/** Per-provider limits enforced by the router; null means unlimited. */
public record RateLimitConfig(Integer requestsPerMinute, Integer maxConcurrent) {
}
