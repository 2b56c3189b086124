package io.visca.gateway.kit.admin.security;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/**
 * The group {@code token-throttle} of a service's configuration mapping ({@code registry.token-throttle.*},
 * {@code billing.token-throttle.*}, {@code health.token-throttle.*}; {@code TOKEN_THROTTLE_MAX_FAILURES},
 * {@code TOKEN_THROTTLE_WINDOW}, {@code TOKEN_THROTTLE_MAX_CLIENTS}): wrong bearer tokens per client address; after
 * {@code max-failures} within {@code window}, the address gets 429 (even with the right token) until the window that
 * started with its first failure is over.
 */
public interface TokenThrottleConfig {

    @WithDefault("10")
    int maxFailures();

    @WithDefault("1m")
    Duration window();

    /** Client addresses tracked at most; beyond, the oldest are forgotten. */
    @WithDefault("10000")
    int maxClients();
}
