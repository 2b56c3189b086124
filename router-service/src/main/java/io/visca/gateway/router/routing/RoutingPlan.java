package io.visca.gateway.router.routing;

import java.util.List;

/**
 * Where a request may go, in the order to try: the candidates that passed the filters, ordered by the strategy. With
 * fallback off only the first is tried.
 *
 * @param skipped why each filtered-out candidate was left out ({@code provider/model: reason}), for error messages
 * @param skippedHeader the providers left out with their first reason ({@code x-visca-skipped}), null when none
 * @param failOpen no candidate had a healthy endpoint and the health verdicts are set aside ({@link FailOpen}): each
 *        attempt takes an endpoint the health monitor says is DOWN when its provider has no healthy one
 */
public record RoutingPlan(String strategy, boolean fallback, List<ModelRoute> candidates, List<String> skipped,
        String skippedHeader, boolean failOpen) {
}
