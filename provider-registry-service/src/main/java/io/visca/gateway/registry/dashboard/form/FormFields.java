package io.visca.gateway.registry.dashboard.form;

import java.util.List;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateGlobal;
import io.visca.gateway.contracts.provider.BudgetPeriod;

/**
 * The simple fields of the provider form and the choices of the key and team forms, by their keys (which are the API's field
 * paths) and labels.
 */
@TemplateGlobal
public final class FormFields {

    /** One input. */
    @TemplateData
    public record Field(String key, String label, boolean numeric) {
    }

    public static final List<Field> healthFields = List.of(
            new Field("health_check.endpoint", "Probe path (/health: from the server root; health: under the base URL)", false),
            new Field("health_check.interval_seconds", "Interval (seconds)", true),
            new Field("health_check.timeout_seconds", "Timeout (seconds)", true),
            new Field("health_check.failure_threshold", "Failures before DOWN", true),
            new Field("health_check.success_threshold", "Successes before UP", true),
            new Field("health_check.healthy_statuses", "Healthy HTTP statuses (comma-separated)", false));

    public static final List<Field> limitFields = List.of(
            new Field("timeouts.connect_ms", "Connect timeout (ms)", true),
            new Field("timeouts.first_byte_ms", "First byte timeout (ms)", true),
            new Field("timeouts.total_ms", "Total timeout (ms)", true),
            new Field("retry.max_retries", "Retries on the same provider", true),
            new Field("retry.backoff_ms", "Retry backoff (ms)", true),
            new Field("rate_limit.requests_per_minute", "Rate limit (requests per minute)", true),
            new Field("rate_limit.max_concurrent", "Max concurrent requests", true));

    public static final List<Field> modelFields = List.of(
            new Field("id", "id", false),
            new Field("name", "name", false),
            new Field("upstream_model", "upstream model (when it differs)", false),
            new Field("mode", "mode", false),
            new Field("context_window", "context window (tokens)", true),
            new Field("cost_per_1k_input", "cost per 1k input tokens (USD)", true),
            new Field("cost_per_1k_output", "cost per 1k output tokens (USD)", true),
            new Field("cost_per_1k_cached_input", "cost per 1k cached input tokens (USD)", true));

    /** The budget periods of the key and team forms, as the API names them. */
    public static final List<String> budgetPeriods = java.util.Arrays.stream(BudgetPeriod.values())
            .map(BudgetPeriod::wireName).toList();

    private FormFields() {
    }
}
