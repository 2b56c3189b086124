package io.visca.gateway.router.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * Everything the router knows about one finished /v1 request, success or error, streaming or not: who asked, what
 * served it, the tokens, the cost and the timings. {@link UsageEmitter} publishes it as {@code usage-recorded} and
 * turns it into metrics, off the event loop.
 *
 * @param eventId the usage event's id, made by the router ({@link EventIds}): unique per request, billing's key
 * @param requestId the client's {@code x-request-id} (or one the router made up): a correlation id, not unique
 * @param status {@code success}, {@code error} or {@code client_closed}
 * @param provider null when the request failed before a provider was chosen (bad input, unknown model); for an error
 *        after upstream attempts, the provider of the last attempt (so are {@code endpoint} and {@code servedModel})
 * @param servedModel the model id, as clients name it, of the provider's model that served (or was last tried)
 * @param cost null when the model has no configured prices
 * @param timeToFirstTokenMs null when no token was generated
 * @param strategy the routing strategy in force; null when the request failed before routing
 * @param attemptLog every attempt, in order; the last one served the request when it succeeded
 * @param upstreamLatencyMs the serving upstream's part of the latency: from its request to its whole answer, or to its
 *        response head for streams; null when no upstream answered
 * @param gatewayOverheadMs the gateway's own time, as in {@code x-visca-overhead-ms}: the latency without the serving
 *        upstream's part (for streams, up to the upstream's response head); null when no upstream answered
 */
public record FinishedRequest(
        String eventId,
        String requestId,
        Instant occurredAt,
        String apiKeyId,
        String operation,
        String requestedModel,
        String provider,
        String endpoint,
        String servedModel,
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
        List<UsageRecorded.Attempt> attemptLog,
        double latencyMs,
        Double timeToFirstTokenMs,
        Double upstreamLatencyMs,
        Double gatewayOverheadMs,
        String team,
        List<String> budgetLeases) {

    public FinishedRequest {
        budgetLeases = budgetLeases == null ? List.of() : budgetLeases;
    }

    /** A request of a key without a team or budget. */
    public FinishedRequest(String eventId, String requestId, Instant occurredAt, String apiKeyId, String operation,
            String requestedModel, String provider, String endpoint, String servedModel, String upstreamModel,
            boolean stream, String status, int httpStatus, String errorType, String errorCode, long promptTokens,
            long completionTokens, long cachedTokens, boolean tokensEstimated, Pricing.Cost cost,
            BigDecimal reportedCost, String strategy, List<UsageRecorded.Attempt> attemptLog, double latencyMs,
            Double timeToFirstTokenMs, Double upstreamLatencyMs, Double gatewayOverheadMs) {
        this(eventId, requestId, occurredAt, apiKeyId, operation, requestedModel, provider, endpoint, servedModel,
                upstreamModel, stream, status, httpStatus, errorType, errorCode, promptTokens, completionTokens,
                cachedTokens, tokensEstimated, cost, reportedCost, strategy, attemptLog, latencyMs, timeToFirstTokenMs,
                upstreamLatencyMs, gatewayOverheadMs, null, List.of());
    }

    public static final String SUCCESS = "success";
    public static final String ERROR = "error";
    public static final String CLIENT_CLOSED = "client_closed";

    /** How many attempts the request took. */
    public int attempts() {
        return attemptLog.size();
    }
}
