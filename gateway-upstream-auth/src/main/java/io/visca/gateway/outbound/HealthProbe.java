package io.visca.gateway.outbound;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.visca.gateway.contracts.provider.HealthCheckConfig;
import io.visca.gateway.providers.KnownProviderTypes;
import io.visca.gateway.providers.ProviderType;
import io.visca.gateway.providers.UnknownProviderTypeException;

/**
 * The health check of one endpoint: a GET of {@link #url()} (with the provider's auth and {@link #headers()}), and
 * which answers count as healthy. The health monitor probes it; the registry's Test Connection runs it once, so both
 * go to the same URL ({@link HealthCheckUrls}) and judge the answer the same way.
 *
 * @param url the probed URL: {@code health_check.endpoint}, or the type's
 *        {@link ProviderType#defaultHealthPath() default path}, resolved against the base URL; the base URL itself for
 *        a type without one ({@code custom}) when no path is configured
 * @param headers the type's fixed headers (Anthropic's version)
 * @param anyAnswerBelow500 {@code custom} without a probe path: any HTTP answer below 500 means reachable
 * @param healthyStatuses the statuses that count as healthy; empty: any 2xx (or, above, any below 500)
 */
public record HealthProbe(String url, Map<String, String> headers, boolean anyAnswerBelow500,
        List<Integer> healthyStatuses) {

    public HealthProbe {
        headers = Map.copyOf(headers);
        healthyStatuses = List.copyOf(healthyStatuses);
    }

    /**
     * The health check of the endpoint at {@code baseUrl} of a provider of {@code type}.
     *
     * @param type the provider's type: its {@link ProviderType#defaultHealthPath()} and
     *        {@link ProviderType#fixedHeaders()}
     * @param health the provider's {@code health_check}; null means the defaults
     * @throws UnknownProviderTypeException when no such type is known (nothing may be sent: which check would fit is
     *         unknown)
     * @throws IllegalArgumentException when {@code health_check.endpoint} is not a path ({@link HealthCheckUrls#problem},
     *         e.g. a URL stored before the registry refused them): the message says why, and nothing may be sent
     */
    public static HealthProbe of(String type, String baseUrl, HealthCheckConfig health) {
        ProviderType known = KnownProviderTypes.get(type);
        HealthCheckConfig config = health == null ? HealthCheckConfig.defaults() : health;
        String path = config.endpoint() != null ? config.endpoint() : known.defaultHealthPath();
        String url = path == null ? trimSlashes(baseUrl) : HealthCheckUrls.resolve(baseUrl, path);
        return new HealthProbe(url, known.fixedHeaders(), path == null && config.healthyStatuses().isEmpty(),
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
