package io.visca.gateway.health.probe;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.HealthCheckConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.ProviderTypes;

/**
 * What to probe for one endpoint of one provider, and how to judge the answer: a GET of {@link #url()} with the
 * provider's auth (and the type's fixed headers), within {@code timeout_seconds}, every {@code interval_seconds}.
 * Two targets are equal when nothing about the probe changed.
 *
 * @param endpoint the endpoint's id (events are keyed {@code provider/endpoint})
 * @param url the probed URL: the base URL plus {@code health_check.endpoint}, or the type's default path
 * @param anyAnswerBelow500 {@code custom} without a probe path: any HTTP answer below 500 means reachable
 * @param secretsProblem why the provider's secrets could not be decrypted (each probe fails with it), or null
 */
public record ProbeTarget(String provider, String type, String endpoint, String baseUrl, String url,
        Map<String, String> headers, boolean anyAnswerBelow500, List<Integer> healthyStatuses, int intervalSeconds,
        int timeoutSeconds, int failureThreshold, int successThreshold, AuthConfig auth, String secretsProblem) {

    /** Anthropic's API answers 400 without it; the version its Models API has had since it exists. */
    static final String ANTHROPIC_VERSION = "2023-06-01";

    public ProbeTarget {
        headers = Map.copyOf(headers);
        healthyStatuses = List.copyOf(healthyStatuses);
    }

    /** {@code provider/endpoint}, the Kafka key of its health events. */
    public String key() {
        return key(provider, endpoint);
    }

    public static String key(String provider, String endpoint) {
        return provider + "/" + endpoint;
    }

    /**
     * The path a probe of this type GETs when {@code health_check.endpoint} is null, relative to the base URL; null
     * for {@code custom} (and unknown types), whose probe GETs the base URL itself. None of them runs a model:
     * <ul>
     * <li>{@code openai-compatible}: {@code /models} (the base URL carries {@code /v1}), the model listing;</li>
     * <li>{@code tgi}: {@code /health}; {@code ollama}: {@code /} ("Ollama is running");</li>
     * <li>{@code anthropic}: {@code /v1/models}, the model listing (the base URL has no {@code /v1});</li>
     * <li>{@code replicate}: {@code /account} (the base URL carries {@code /v1}), which checks the token and is not
     * billed, unlike any prediction.</li>
     * </ul>
     */
    public static String defaultPath(String type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case ProviderTypes.OPENAI_COMPATIBLE -> "/models";
            case ProviderTypes.TGI -> "/health";
            case ProviderTypes.OLLAMA -> "/";
            case ProviderTypes.ANTHROPIC -> "/v1/models";
            case ProviderTypes.REPLICATE -> "/account";
            default -> null;
        };
    }

    /** The target for one endpoint of a provider whose health checks are enabled. */
    public static ProbeTarget of(ProviderConfig provider, EndpointConfig endpoint) {
        return of(provider, endpoint, null);
    }

    /** @param secretsProblem why the provider's secrets could not be decrypted, or null */
    public static ProbeTarget of(ProviderConfig provider, EndpointConfig endpoint, String secretsProblem) {
        HealthCheckConfig health = provider.healthCheck() == null ? HealthCheckConfig.defaults()
                : provider.healthCheck();
        String base = trimSlashes(endpoint.baseUrl());
        String path = health.endpoint() != null ? health.endpoint() : defaultPath(provider.type());
        boolean anyBelow500 = path == null && health.healthyStatuses().isEmpty();
        Map<String, String> headers = ProviderTypes.ANTHROPIC.equals(provider.type())
                ? Map.of("anthropic-version", ANTHROPIC_VERSION)
                : Map.of();
        String id = endpoint.id() != null && !endpoint.id().isBlank() ? endpoint.id() : hostAndPort(base);
        int interval = Math.max(1, health.intervalSeconds());
        return new ProbeTarget(provider.name(), provider.type(), id, base, path == null ? base : base + path, headers,
                anyBelow500, health.healthyStatuses(), interval,
                Math.max(1, Math.min(health.timeoutSeconds() <= 0 ? 5 : health.timeoutSeconds(), interval)),
                Math.max(1, health.failureThreshold()), Math.max(1, health.successThreshold()),
                provider.auth() == null ? AuthConfig.none() : provider.auth(), secretsProblem);
    }

    /** Whether an answer with this status means the endpoint is healthy. */
    public boolean healthy(int status) {
        if (!healthyStatuses.isEmpty()) {
            return healthyStatuses.contains(status);
        }
        return anyAnswerBelow500 ? status < 500 : status >= 200 && status <= 299;
    }

    /** The probe as reasons name it, e.g. {@code GET /v1/models}: the URL's path only, never its host or query. */
    public String describe() {
        String path;
        try {
            path = URI.create(url).getRawPath();
        } catch (IllegalArgumentException e) {
            path = null;
        }
        return "GET " + (path == null || path.isEmpty() ? "/" : path);
    }

    /** The rule {@link #healthy(int)} applies, for the status API. */
    public String healthyWhen() {
        if (!healthyStatuses.isEmpty()) {
            return "HTTP " + healthyStatuses;
        }
        return anyAnswerBelow500 ? "any HTTP answer below 500" : "HTTP 2xx";
    }

    private static String trimSlashes(String url) {
        String out = url == null ? "" : url;
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }

    private static String hostAndPort(String url) {
        try {
            URI uri = URI.create(url);
            String host = uri.getHost() == null ? url : uri.getHost().toLowerCase(Locale.ROOT);
            return uri.getPort() < 0 ? host : host + ":" + uri.getPort();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
