package io.visca.gateway.billing.finance.query;

import java.time.Instant;

/**
 * What the finance queries select: [from, to) on occurred_at (either may be open) and exact matches on the other
 * fields (null = any). {@code model} is the served model, {@code apiKey} the gateway API key id, {@code requestId}
 * the client's correlation id (raw records only: the rollup does not keep it), {@code team} the key's team when the
 * request was admitted.
 */
public record UsageFilter(Instant from, Instant to, String provider, String model, String apiKey, String status,
        Boolean stream, String requestId, String team) {

    public static UsageFilter range(Instant from, Instant to) {
        return new UsageFilter(from, to, null, null, null, null, null, null, null);
    }
}
