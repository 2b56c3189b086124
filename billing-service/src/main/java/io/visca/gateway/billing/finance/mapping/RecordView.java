package io.visca.gateway.billing.finance.mapping;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One stored request, as the router reported it. Costs are USD as exact decimal strings (null when unknown).
 *
 * @param eventId the router's id of the request, unique: the ledger's key
 * @param requestId the client's correlation id (the {@code x-request-id} echoed to it); several requests may share it
 * @param attemptLog every upstream attempt, in order (provider, endpoint, model, http_status, error_code,
 *        latency_ms)
 * @param team the key's team when the request was admitted, or null
 * @param budgetLeases the quota store's budget leases it was admitted under (settled with its total cost)
 */
public record RecordView(String eventId, String requestId, Instant occurredAt, String apiKeyId, String provider,
        String endpoint, String requestedModel, String servedModel, String upstreamModel, String operation,
        String strategy, String status, int httpStatus, String errorType, String errorCode, boolean stream,
        int attempts, long promptTokens, long completionTokens, long cachedTokens, long totalTokens,
        boolean tokensEstimated, String inputCost, String outputCost, String totalCost, String reportedCost,
        long latencyMs, Long timeToFirstTokenMs,
        @JsonRawValue @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY) String attemptLog,
        String team,
        @JsonRawValue @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY) String budgetLeases) {
}
