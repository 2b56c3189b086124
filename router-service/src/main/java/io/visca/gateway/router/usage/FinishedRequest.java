package io.visca.gateway.router.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Everything the router knows about one finished /v1 request, success or error, streaming or not: who asked, what
 * served it, the tokens, the cost and the timings. The billing issue publishes it as {@code usage-recorded}.
 *
 * @param status {@code success}, {@code error} or {@code client_closed}
 * @param provider null when the request failed before a provider was chosen (bad input, unknown model)
 * @param cost null when the model has no configured prices
 * @param timeToFirstTokenMs null when no token was generated
 * @param strategy the routing strategy in force; null when the request failed before routing
 * @param attemptLog every attempt, in order; the last one served the request when it succeeded
 */
public record FinishedRequest(
        String requestId,
        Instant occurredAt,
        String apiKeyId,
        String operation,
        String requestedModel,
        String provider,
        String endpoint,
        String upstreamModel,
        boolean stream,
        String status,
        int httpStatus,
        String errorType,
        String errorCode,
        long promptTokens,
        long completionTokens,
        long cachedTokens,
        boolean tokensEstimated,
        Pricing.Cost cost,
        BigDecimal reportedCost,
        String strategy,
        List<AttemptRecord> attemptLog,
        double latencyMs,
        Double timeToFirstTokenMs) {

    public static final String SUCCESS = "success";
    public static final String ERROR = "error";
    public static final String CLIENT_CLOSED = "client_closed";

    /** How many attempts the request took. */
    public int attempts() {
        return attemptLog.size();
    }
}
