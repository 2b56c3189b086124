package io.visca.gateway.registry.provider.client;

import java.time.Duration;

import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.visca.gateway.contracts.provider.TimeoutsConfig;

/**
 * Timeouts of each Test Connection call: the provider's own connect and first-byte timeouts, each capped by the
 * registry's bound ({@code registry.test-connection.timeout}, 10 s by default), which also bounds the whole call.
 */
public record CallTimeouts(long connectMs, long firstByteMs, Duration total) {

    public static CallTimeouts of(TimeoutsConfig provider, Duration bound, Duration defaultConnect) {
        long cap = bound.toMillis();
        long connect = provider == null ? defaultConnect.toMillis() : provider.connectMs();
        long firstByte = provider == null ? cap : provider.firstByteMs();
        return new CallTimeouts(Math.min(connect, cap), Math.min(firstByte, cap), bound);
    }

    public <T> HttpRequest<T> apply(HttpRequest<T> request) {
        return request.connectTimeout(connectMs).idleTimeout(firstByteMs);
    }
}
