package io.visca.gateway.health.probe;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.HealthCheckConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.outbound.HealthProbe;
import io.visca.gateway.providers.UnknownProviderTypeException;

/**
 * What to probe for one endpoint of one provider, and how to judge the answer: a GET of {@link #url()} with the
 * provider's auth (and the type's fixed headers), within {@code timeout_seconds}, every {@code interval_seconds}. The
 * URL and the judgement are the shared {@link HealthProbe} (the registry's Test Connection runs the same check). Two
 * targets are equal when nothing about the probe changed.
 *
 * @param endpoint the endpoint's id (events are keyed {@code provider/endpoint})
 * @param probe the URL ({@code health_check.endpoint} or the type's default path, resolved against the base URL as a
 *        browser resolves a link: {@link io.visca.gateway.outbound.HealthCheckUrls}) and which answers are healthy
 * @param problem why no probe can be sent (the provider's secrets could not be decrypted, a stored
 *        {@code health_check.endpoint} that is not a path): each probe fails with it, sending nothing; or null
 * @param unknownType why the endpoint is not probed at all: its type is not one this monitor knows (no package of
 *        {@code gateway-providers} registers it), so no check is known to fit; its status stays UNKNOWN with this as
 *        its reason; or null
 */
public record ProbeTarget(String provider, String type, String endpoint, String baseUrl, HealthProbe probe,
        int intervalSeconds, int timeoutSeconds, int failureThreshold, int successThreshold, AuthConfig auth,
        String problem, String unknownType) {

    /** {@code provider/endpoint}, the Kafka key of its health events. */
    public String key() {
        return key(provider, endpoint);
    }

    public static String key(String provider, String endpoint) {
        return provider + "/" + endpoint;
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
        String problem = secretsProblem;
        String unknownType = null;
        HealthProbe probe;
        try {
            probe = HealthProbe.of(provider.type(), base, health);
        } catch (UnknownProviderTypeException e) {
            probe = new HealthProbe(base, Map.of(), false, health.healthyStatuses());
            unknownType = e.getMessage() + " (in the health monitor): not probed";
        } catch (IllegalArgumentException e) {
            probe = new HealthProbe(base, Map.of(), false, health.healthyStatuses());
            problem = problem != null ? problem : e.getMessage();
        }
        String id = endpoint.id() != null && !endpoint.id().isBlank() ? endpoint.id() : hostAndPort(base);
        int interval = Math.max(1, health.intervalSeconds());
        return new ProbeTarget(provider.name(), provider.type(), id, base, probe, interval,
                Math.max(1, Math.min(health.timeoutSeconds() <= 0 ? 5 : health.timeoutSeconds(), interval)),
                Math.max(1, health.failureThreshold()), Math.max(1, health.successThreshold()),
                provider.auth() == null ? AuthConfig.none() : provider.auth(), problem, unknownType);
    }

    /** The probed URL. */
    public String url() {
        return probe.url();
    }

    /** The type's fixed headers (Anthropic's version). */
    public Map<String, String> headers() {
        return probe.headers();
    }

    /** Whether an answer with this status means the endpoint is healthy. */
    public boolean healthy(int status) {
        return probe.healthy(status);
    }

    /** The probe as reasons name it, e.g. {@code GET /v1/models}: the URL's path only, never its host or query. */
    public String describe() {
        return probe.describe();
    }

    /** The rule {@link #healthy(int)} applies, for the status API. */
    public String healthyWhen() {
        return probe.healthyWhen();
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
