package io.visca.gateway.billing.finance.mapping;

/**
 * Configured against reported cost of one provider and served model (or of everything, in the totals). Amounts are
 * USD as exact decimal strings.
 *
 * @param configuredCost configured total cost of all its requests
 * @param configuredCostWhereReported configured total cost of the requests that also have a reported cost
 * @param difference {@code reported_cost - configured_cost_where_reported}: positive when the upstream charged more
 *        than the configured prices say
 * @param unpricedRequests requests that reached a model without configured prices (billed at 0): what is not priced
 * @param unpricedTokens their prompt plus completion tokens
 */
public record ReconciliationRow(String provider, String model, long requests, long requestsWithReportedCost,
        long requestsWithoutReportedCost, long requestsWithoutConfiguredCost, String configuredCost,
        String reportedCost, String configuredCostWhereReported, String difference, long unpricedRequests,
        long unpricedTokens) {
}
