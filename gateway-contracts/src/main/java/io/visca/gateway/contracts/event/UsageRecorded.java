package io.visca.gateway.contracts.event;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Published by the router for every finished request, success or error; keyed by request id, which is also the
 * event id, so billing stores it once however often it is delivered. Costs are USD.
 */
public record UsageRecorded(
        int schemaVersion,
        String eventId,
        Instant occurredAt,
        String requestId,
        String apiKeyId,
        String requestedModel,
        String servedModel,
        String provider,
        String endpoint,
        String strategy,
        int attempts,
        String status,
        int httpStatus,
        String errorType,
        boolean stream,
        long promptTokens,
        long completionTokens,
        long cachedTokens,
        boolean tokensEstimated,
        BigDecimal inputCost,
        BigDecimal outputCost,
        BigDecimal totalCost,
        BigDecimal reportedCost,
        long latencyMs,
        Long timeToFirstTokenMs) {

    public static final int SCHEMA_VERSION = 1;
}
