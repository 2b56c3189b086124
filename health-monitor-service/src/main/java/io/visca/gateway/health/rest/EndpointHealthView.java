package io.visca.gateway.health.rest;

import java.time.Instant;
import java.util.List;

import io.visca.gateway.health.probe.EndpointState;

/**
 * The health of one probed endpoint, as {@code /api/health} shows it.
 *
 * @param endpoint the endpoint's id (health events are keyed {@code provider/endpoint})
 * @param probe the request a probe sends, e.g. {@code GET /v1/models}
 * @param healthyWhen the answers that count as healthy, e.g. {@code HTTP 2xx}
 * @param status {@code UP}, {@code DOWN}, or {@code UNKNOWN} until the first status is determined
 * @param lastHttpStatus the last probe's HTTP status, null when it got no answer
 * @param lastReason what the last probe found (never a secret)
 * @param transitions the latest status changes, oldest first
 * @param probedHere whether the instance that answers probes it (with several instances each probes its share; the
 *        others' endpoints are shown as their holder last published them)
 */
public record EndpointHealthView(String provider, String endpoint, String baseUrl, String probe, String healthyWhen,
        int intervalSeconds, int timeoutSeconds, int failureThreshold, int successThreshold, String status,
        Instant lastCheckedAt, Long latencyMs, Integer lastHttpStatus, int consecutiveFailures,
        int consecutiveSuccesses, String lastReason, List<EndpointState.Transition> transitions, boolean probedHere) {
}
