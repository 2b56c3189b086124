package io.visca.gateway.outbound;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.visca.gateway.contracts.provider.HealthCheckConfig;
import io.visca.gateway.contracts.provider.ProviderTypes;

/**
 * The health check of one endpoint: a GET of {@link #url()} (with the provider's auth and {@link #headers()}), and
 * which answers count as healthy. The health monitor probes it; the registry's Test Connection runs it once, so both
 * go to the same URL ({@link HealthCheckUrls}) and judge the answer the same way.
 *
 * @param url the probed URL: {@code health_check.endpoint}, or the type's {@link #defaultPath}, resolved against the
 *        base URL; the base URL itself for {@code custom} without a path
 * @param headers the type's fixed headers (Anthropic's version)
 * @param anyAnswerBelow500 {@code custom} without a probe path: any HTTP answer below 500 means reachable
 * @param healthyStatuses the statuses that count as healthy; empty: any 2xx (or, above, any below 500)
 */
public record HealthProbe(String url, Map<String, String> headers, boolean anyAnswerBelow500,
        List<Integer> healthyStatuses) {

    /** Anthropic's API answers 400 without it; the version its Models API has had since it exists. */
    public static final String ANTHROPIC_VERSION = "2023-06-01";

    public HealthProbe {
        headers = Map.copyOf(headers);
        healthyStatuses = List.copyOf(healthyStatuses);
    }

    /**
     * The path a probe of this type GETs when {@code health_check.endpoint} is null, relative to the base URL (so an
     * endpoint behind a path prefix keeps it); null for {@code custom} (and unknown types), whose probe GETs the base
     * URL itself. None of them runs a model:
     * <ul>
     * <li>{@code openai-compatible}: {@code models} (the base URL carries {@code /v1}), the model listing;</li>
     * <li>{@code tgi}: {@code health}; {@code ollama}: {@code ./}, the base URL's directory ("Ollama is running");</li>
     * <li>{@code anthropic}: {@code v1/models}, the model listing (the base URL has no {@code /v1});</li>
     * <li>{@code replicate}: {@code account} (the base URL carries {@code /v1}), which checks the token and is not
     * billed, unlike any prediction.</li>
     * </ul>
     */
    public static String defaultPath(String type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case ProviderTypes.OPENAI_COMPATIBLE -> "models";
            case ProviderTypes.TGI -> "health";
            case ProviderTypes.OLLAMA -> "./";
            case ProviderTypes.ANTHROPIC -> "v1/models";
            case ProviderTypes.REPLICATE -> "account";
            default -> null;
        };
    }

    /**
     * The health check of the endpoint at {@code baseUrl} of a provider of {@code type}.
     *
     * @param health the provider's {@code health_check}; null means the defaults
     * @throws IllegalArgumentException when {@code health_check.endpoint} is not a path ({@link HealthCheckUrls#problem},
     *         e.g. a URL stored before the registry refused them): the message says why, and nothing may be sent
     */
    public static HealthProbe of(String type, String baseUrl, HealthCheckConfig health) {
        HealthCheckConfig config = health == null ? HealthCheckConfig.defaults() : health;
        String path = config.endpoint() != null ? config.endpoint() : defaultPath(type);
        String url = path == null ? trimSlashes(baseUrl) : HealthCheckUrls.resolve(baseUrl, path);
        Map<String, String> headers = ProviderTypes.ANTHROPIC.equals(type)
                ? Map.of("anthropic-version", ANTHROPIC_VERSION)
                : Map.of();
        return new HealthProbe(url, headers, path == null && config.healthyStatuses().isEmpty(),
                config.healthyStatuses());
    }

    /** Whether an answer with this status means the endpoint is healthy. */
    public boolean healthy(int status) {
        if (!healthyStatuses.isEmpty()) {
            return healthyStatuses.contains(status);
        }
        return anyAnswerBelow500 ? status < 500 : status >= 200 && status <= 299;
    }

    /** The rule {@link #healthy(int)} applies, in words: {@code HTTP 2xx}, {@code HTTP [200, 401]}, ... */
    public String healthyWhen() {
        if (!healthyStatuses.isEmpty()) {
            return "HTTP " + healthyStatuses;
        }
        return anyAnswerBelow500 ? "any HTTP answer below 500" : "HTTP 2xx";
    }

    /** The probe as reasons name it, e.g. {@code GET /v1/models}: the URL's path only, never its host or query. */
    public String describe() {
        return describe(url);
    }

    /** {@code GET} and the path of {@code url}, never its host or query. */
    public static String describe(String url) {
        String path;
        try {
            path = URI.create(url).getRawPath();
        } catch (IllegalArgumentException | NullPointerException e) {
            path = null;
        }
        return "GET " + (path == null || path.isEmpty() ? "/" : path);
    }

    private static String trimSlashes(String url) {
        String out = url == null ? "" : url;
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
