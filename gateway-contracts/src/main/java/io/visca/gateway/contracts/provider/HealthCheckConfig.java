package io.visca.gateway.contracts.provider;

import java.util.List;

/**
 * Active health checking of each endpoint by the health monitor.
 *
 * @param endpoint path probed, relative to each endpoint's base URL; null means the type's default
 * @param healthyStatuses HTTP statuses that count as healthy; empty means any 2xx
 */
public record HealthCheckConfig(
        boolean enabled,
        String endpoint,
        int intervalSeconds,
        int timeoutSeconds,
        int failureThreshold,
        int successThreshold,
        List<Integer> healthyStatuses) {

    public HealthCheckConfig {
        healthyStatuses = healthyStatuses == null ? List.of() : List.copyOf(healthyStatuses);
    }

    public static HealthCheckConfig defaults() {
        return new HealthCheckConfig(true, null, 30, 5, 3, 1, List.of());
    }
}
