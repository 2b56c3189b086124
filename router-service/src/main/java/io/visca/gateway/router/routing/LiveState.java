package io.visca.gateway.router.routing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.RetryConfig;
import io.visca.gateway.router.config.RouterConfig;

/**
 * The router's memory of providers and endpoints that outlives snapshots: circuit breakers, rate limits, requests in
 * flight, latencies, and the health monitor's verdicts (which may arrive before the snapshot that has the endpoint).
 * A {@link RoutingTable} built from a new snapshot takes its providers' state from here, and the setting of what
 * clients are told about upstreams ({@link RouterConfig#exposeUpstreamDetails()}).
 */
@Singleton
public class LiveState {

    private final Map<String, ActiveHealth> health = new ConcurrentHashMap<>();
    private final Map<String, EndpointState> endpoints = new ConcurrentHashMap<>();
    private final Map<String, ProviderState> providers = new ConcurrentHashMap<>();
    private final Map<String, Rotation> rotations = new ConcurrentHashMap<>();
    private final BreakerSettings breaker;
    private final boolean exposeUpstreamDetails;

    @Inject
    public LiveState(RouterConfig config) {
        this(new BreakerSettings(config.circuitBreaker().failureThreshold(), config.circuitBreaker().cooldown()),
                config.exposeUpstreamDetails());
    }

    public LiveState(BreakerSettings breaker) {
        this(breaker, true);
    }

    public LiveState(BreakerSettings breaker, boolean exposeUpstreamDetails) {
        this.breaker = breaker;
        this.exposeUpstreamDetails = exposeUpstreamDetails;
    }

    /** Whether clients may learn endpoint hosts and ports and the upstreams' own error messages. */
    public boolean exposeUpstreamDetails() {
        return exposeUpstreamDetails;
    }

    /** A health event: {@code key} is {@code provider/endpoint}; {@code down == null} forgets the endpoint. */
    public void health(String key, Boolean down, String reason) {
        ActiveHealth entry = health.computeIfAbsent(key, k -> new ActiveHealth());
        entry.set(Boolean.TRUE.equals(down), reason);
    }

    public ActiveHealth health(String key) {
        return health.computeIfAbsent(key, k -> new ActiveHealth());
    }

    EndpointState endpoint(String provider, EndpointConfig config) {
        String key = provider + "/" + config.id();
        return endpoints.compute(key, (k, existing) -> existing != null && existing.baseUrl().equals(config.baseUrl())
                ? existing
                : new EndpointState(k, config.baseUrl(), health(k), breaker));
    }

    ProviderState provider(ProviderConfig config) {
        RetryConfig retry = config.retry() == null ? RetryConfig.defaults() : config.retry();
        return providers.compute(config.name(), (name, existing) -> existing != null
                && existing.sameSettings(retry, config.rateLimit()) ? existing
                        : new ProviderState(name, retry, config.rateLimit()));
    }

    /** Its endpoints' rotation: the one it had while its endpoints (ids and base URLs) and weights stay the same. */
    Rotation rotation(ProviderConfig config) {
        List<String> endpoints = config.endpoints().stream().map(e -> e.id() + " " + e.baseUrl()).toList();
        int[] weights = config.endpoints().stream().mapToInt(e -> Math.max(1, e.weight())).toArray();
        return rotations.compute(config.name(), (name, existing) -> existing != null
                && existing.sameAs(endpoints, weights) ? existing : new Rotation(endpoints, weights));
    }
}
