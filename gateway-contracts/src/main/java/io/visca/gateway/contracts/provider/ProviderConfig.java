package io.visca.gateway.contracts.provider;

import java.util.List;

/**
 * The provider config document users write, in its full (normalized) form: shorthands such as a lone
 * {@code base_url} or a top-level {@code api_key} have already been expanded into {@link #endpoints()} and
 * {@link #auth()}. Secret values are {@code ${NAME}} references or literals; neither is ever resolved here.
 *
 * @param name unique provider name, used in routing and as the Kafka key of its events
 * @param type the adapter that speaks this provider's wire format (one of gateway-providers' {@code KnownProviderTypes})
 * @param enabled a disabled provider gets no traffic
 * @param request only for {@code custom}: the HTTP method and path of the model API
 * @param transform only for {@code custom}: jq programs mapping the OpenAI request and the upstream response
 */
public record ProviderConfig(
        String name,
        String type,
        boolean enabled,
        List<EndpointConfig> endpoints,
        AuthConfig auth,
        List<ModelConfig> models,
        HealthCheckConfig healthCheck,
        TimeoutsConfig timeouts,
        RateLimitConfig rateLimit,
        RetryConfig retry,
        CustomRequestConfig request,
        TransformConfig transform) {

    public ProviderConfig {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        models = models == null ? List.of() : List.copyOf(models);
    }

    public ProviderConfig withEnabled(boolean value) {
        return new ProviderConfig(name, type, value, endpoints, auth, models, healthCheck, timeouts, rateLimit, retry,
                request, transform);
    }

    public ProviderConfig withAuth(AuthConfig value) {
        return new ProviderConfig(name, type, enabled, endpoints, value, models, healthCheck, timeouts, rateLimit, retry,
                request, transform);
    }
}
