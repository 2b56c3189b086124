package io.visca.gateway.contracts.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Published by the router for every finished request, success or error; keyed by request id, which is also the
 * event id, so billing stores it once however often it is delivered. Costs are USD, exact decimals from the model's
 * configured prices (null when the model has none); {@code reportedCost} is what the upstream itself reported, if
 * anything, kept for reconciliation.
 *
 * @param servedModel the model id (as clients name it) that served the request; null when none was reached
 * @param status {@code success}, {@code error} or {@code client_closed}
 * @param operation {@code chat}, {@code completions} or {@code embeddings}
 * @param upstreamModel the model id sent upstream
 * @param attemptLog every upstream attempt, in order; the last one served the request when it succeeded
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
        Long timeToFirstTokenMs,
        String operation,
        String upstreamModel,
        String errorCode,
        List<Attempt> attemptLog) {

    public static final int SCHEMA_VERSION = 1;

    public UsageRecorded {
        attemptLog = attemptLog == null ? List.of() : List.copyOf(attemptLog);
    }

    /**
     * One upstream attempt.
     *
     * @param httpStatus the upstream's status, 0 when none came
     * @param errorCode null for the attempt that served
     */
    public record Attempt(String provider, String endpoint, String model, int httpStatus, String errorCode,
            double latencyMs) {
    }
}
