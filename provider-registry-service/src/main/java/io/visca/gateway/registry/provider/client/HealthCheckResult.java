package io.visca.gateway.registry.provider.client;

/**
 * The endpoint's health check, run once as the health monitor runs it ({@link io.visca.gateway.outbound.HealthProbe}:
 * the same URL, headers and judgement), so a check that would mark the endpoint DOWN shows here before it does.
 *
 * @param probe the request, path only: {@code GET /health}
 * @param healthyWhen which answers count as healthy: {@code HTTP 2xx}, {@code HTTP [200, 401]}, ...
 * @param reason on failure, as in {@link EndpointTestResult#reason()}, or {@code unhealthy} (an answer the health
 *        monitor does not count as healthy) or {@code invalid_health_check} (a stored path that is not one: nothing
 *        was sent)
 */
public record HealthCheckResult(boolean ok, String probe, String healthyWhen, Integer httpStatus, Long latencyMs,
        String reason, String detail) {
}
