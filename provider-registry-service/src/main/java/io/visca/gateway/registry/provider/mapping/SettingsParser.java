package io.visca.gateway.registry.provider.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.contracts.provider.HealthCheckConfig;
import io.visca.gateway.contracts.provider.RateLimitConfig;
import io.visca.gateway.contracts.provider.RetryConfig;
import io.visca.gateway.contracts.provider.TimeoutsConfig;
import io.visca.gateway.outbound.HealthCheckUrls;
import io.visca.gateway.registry.json.JsonFields;
import io.visca.gateway.registry.json.Violations;

/**
 * {@code health_check}, {@code timeouts}, {@code rate_limit} and {@code retry}, with their defaults and ranges:
 * <ul>
 * <li>health_check: interval_seconds 1..86400 (default 30), timeout_seconds 1..300 and at most the interval
 * (default 5), failure_threshold and success_threshold 1..100 (defaults 3 and 1), healthy_statuses 100..599,
 * endpoint a path that {@link HealthCheckUrls} resolves against each endpoint's base URL (never a URL or
 * {@code //host}: a health check stays on the endpoint's own host);</li>
 * <li>timeouts: connect_ms 1..300000 (default 5000), first_byte_ms 1..3600000 (default 60000), total_ms
 * 1..86400000 (default 600000), connect and first byte at most total;</li>
 * <li>rate_limit: requests_per_minute 1..10000000, max_concurrent 1..1000000 (absent: unlimited);</li>
 * <li>retry: max_retries 0..10 (default 1), backoff_ms 0..60000 (default 200).</li>
 * </ul>
 */
final class SettingsParser {

    private static final Set<String> HEALTH_FIELDS = Set.of("enabled", "endpoint", "interval_seconds",
            "timeout_seconds", "failure_threshold", "success_threshold", "healthy_statuses");
    private static final Set<String> TIMEOUT_FIELDS = Set.of("connect_ms", "first_byte_ms", "total_ms");
    private static final Set<String> RATE_FIELDS = Set.of("requests_per_minute", "max_concurrent");
    private static final Set<String> RETRY_FIELDS = Set.of("max_retries", "backoff_ms");

    private SettingsParser() {
    }

    static HealthCheckConfig healthCheck(JsonFields document) {
        HealthCheckConfig defaults = HealthCheckConfig.defaults();
        JsonFields health = document.object("health_check", HEALTH_FIELDS);
        if (health == null) {
            return defaults;
        }
        Violations violations = document.violations();
        Boolean enabled = health.bool("enabled");
        String endpoint = health.string("endpoint");
        String endpointProblem = HealthCheckUrls.problem(endpoint);
        if (endpointProblem != null) {
            violations.add(health.path("endpoint"), endpointProblem);
            endpoint = null;
        }
        Integer interval = health.integer("interval_seconds", 1, 86_400, "seconds");
        Integer timeout = health.integer("timeout_seconds", 1, 300, "seconds");
        int intervalValue = interval == null ? defaults.intervalSeconds() : interval;
        int timeoutValue = timeout == null ? Math.min(defaults.timeoutSeconds(), intervalValue) : timeout;
        if (timeout != null && timeoutValue > intervalValue) {
            violations.add(health.path("timeout_seconds"), "must not exceed interval_seconds (" + intervalValue + ")");
        }
        Integer failures = health.integer("failure_threshold", 1, 100, "consecutive failures");
        Integer successes = health.integer("success_threshold", 1, 100, "consecutive successes");
        List<Integer> statuses = new ArrayList<>();
        List<JsonNode> rawStatuses = health.array("healthy_statuses");
        if (rawStatuses != null) {
            if (rawStatuses.size() > 50) {
                violations.add(health.path("healthy_statuses"), "must hold at most 50 statuses");
            }
            for (int i = 0; i < rawStatuses.size() && i < 50; i++) {
                JsonNode status = rawStatuses.get(i);
                if (!status.isIntegralNumber() || status.asInt() < 100 || status.asInt() > 599) {
                    violations.add(health.path("healthy_statuses") + "[" + i + "]",
                            "must be an HTTP status from 100 to 599");
                } else {
                    statuses.add(status.asInt());
                }
            }
        }
        return new HealthCheckConfig(enabled == null ? defaults.enabled() : enabled, endpoint, intervalValue,
                timeoutValue, failures == null ? defaults.failureThreshold() : failures,
                successes == null ? defaults.successThreshold() : successes, statuses);
    }

    static TimeoutsConfig timeouts(JsonFields document) {
        TimeoutsConfig defaults = TimeoutsConfig.defaults();
        JsonFields timeouts = document.object("timeouts", TIMEOUT_FIELDS);
        if (timeouts == null) {
            return defaults;
        }
        Integer connect = timeouts.integer("connect_ms", 1, 300_000, "ms (5 minutes)");
        Integer firstByte = timeouts.integer("first_byte_ms", 1, 3_600_000, "ms (1 hour)");
        Integer total = timeouts.integer("total_ms", 1, 86_400_000, "ms (24 hours)");
        int totalValue = total == null ? defaults.totalMs() : total;
        int connectValue = connect == null ? Math.min(defaults.connectMs(), totalValue) : connect;
        int firstByteValue = firstByte == null ? Math.min(defaults.firstByteMs(), totalValue) : firstByte;
        if (connect != null && connectValue > totalValue) {
            document.violations().add(timeouts.path("connect_ms"), "must not exceed total_ms (" + totalValue + ")");
        }
        if (firstByte != null && firstByteValue > totalValue) {
            document.violations().add(timeouts.path("first_byte_ms"), "must not exceed total_ms (" + totalValue + ")");
        }
        return new TimeoutsConfig(connectValue, firstByteValue, totalValue);
    }

    static RateLimitConfig rateLimit(JsonFields document) {
        JsonFields limit = document.object("rate_limit", RATE_FIELDS);
        if (limit == null) {
            return null;
        }
        return new RateLimitConfig(limit.integer("requests_per_minute", 1, 10_000_000, "requests"),
                limit.integer("max_concurrent", 1, 1_000_000, "requests"));
    }

    static RetryConfig retry(JsonFields document) {
        RetryConfig defaults = RetryConfig.defaults();
        JsonFields retry = document.object("retry", RETRY_FIELDS);
        if (retry == null) {
            return defaults;
        }
        Integer maxRetries = retry.integer("max_retries", 0, 10, "retries");
        Integer backoff = retry.integer("backoff_ms", 0, 60_000, "ms");
        return new RetryConfig(maxRetries == null ? defaults.maxRetries() : maxRetries,
                backoff == null ? defaults.backoffMs() : backoff);
    }
}
