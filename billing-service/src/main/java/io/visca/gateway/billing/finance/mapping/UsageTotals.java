package io.visca.gateway.billing.finance.mapping;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Totals over a set of requests. Token counts are numbers; costs are USD as exact decimal strings.
 *
 * @param errors requests whose status is {@code error} ({@code client_closed} is not an error)
 * @param totalTokens prompt plus completion tokens (cached tokens are part of the prompt)
 * @param inputCost configured cost of the prompt tokens, from the model's prices at the time
 * @param reportedCost what the upstreams reported themselves, where they did
 * @param unpricedRequests requests that reached a model without configured prices (billed at 0, e.g. models
 *        discovered from a provider's endpoints): what finance has not priced
 * @param unpricedTokens their prompt plus completion tokens
 */
public record UsageTotals(long requests, long errors, long promptTokens, long completionTokens, long cachedTokens,
        long totalTokens,
        @Schema(example = "12.3456") String inputCost,
        @Schema(example = "3.21") String outputCost,
        @Schema(example = "15.5556") String totalCost,
        @Schema(example = "15.40") String reportedCost,
        long unpricedRequests, long unpricedTokens) {
}
