package io.visca.gateway.billing.finance.mapping;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One bucket of a usage time series: the requests that finished in [start, start + bucket) (and in [from, to)).
 *
 * @param errors requests whose status is {@code error} ({@code client_closed} is not an error)
 * @param errorRate errors / requests; 0 when there were no requests
 * @param latencyMsP50 median latency of the bucket's requests (failed ones included), interpolated, from the rollups'
 *        merged histograms (within 12.5 %); null when none
 * @param ttftMsP50 median time to first token of the bucket's streamed requests; null when none was streamed
 * @param totalCost the configured cost, USD as an exact decimal string
 */
public record TimeseriesBucket(Instant start, long requests, long errors, double errorRate,
        @JsonProperty("latency_ms_p50") Double latencyMsP50,
        @JsonProperty("latency_ms_p95") Double latencyMsP95,
        @JsonProperty("ttft_ms_p50") Double ttftMsP50,
        @JsonProperty("ttft_ms_p95") Double ttftMsP95,
        long promptTokens, long completionTokens,
        @Schema(example = "0.0123") String totalCost) {
}
