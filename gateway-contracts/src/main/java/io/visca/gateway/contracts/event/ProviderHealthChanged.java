package io.visca.gateway.contracts.event;

import java.time.Instant;

/**
 * Published by the health monitor on every transition of an endpoint (UP to DOWN, DOWN to UP); keyed
 * {@code provider/endpoint} on a compacted topic, so the latest event per endpoint is its current health.
 *
 * @param status {@code UP} or {@code DOWN}
 * @param reason why the last probe failed or succeeded, never containing a secret
 */
public record ProviderHealthChanged(int schemaVersion, String eventId, Instant occurredAt, String provider,
        String endpoint, String status, String previousStatus, String reason, Long latencyMs,
        int consecutiveFailures, Instant checkedAt) {

    public static final int SCHEMA_VERSION = 1;
    public static final String UP = "UP";
    public static final String DOWN = "DOWN";

    public String key() {
        return provider + "/" + endpoint;
    }
}
