package io.visca.gateway.router.routing;

import java.util.concurrent.atomic.AtomicInteger;

import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.TimeoutsConfig;
import io.visca.gateway.router.adapter.ProviderAdapter;

/**
 * A provider as the router serves it: its config, its adapter, what the adapter prepared from the config once (e.g.
 * compiled transforms), and the endpoint rotation.
 */
public final class ProviderRuntime {

    private final ProviderConfig config;
    private final ProviderAdapter adapter;
    private final Object prepared;
    private final TimeoutsConfig timeouts;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean streamOptionsRejected;

    public ProviderRuntime(ProviderConfig config, ProviderAdapter adapter, Object prepared) {
        this.config = config;
        this.adapter = adapter;
        this.prepared = prepared;
        this.timeouts = config.timeouts() == null ? TimeoutsConfig.defaults() : config.timeouts();
    }

    public String name() {
        return config.name();
    }

    public ProviderConfig config() {
        return config;
    }

    public ProviderAdapter adapter() {
        return adapter;
    }

    /** What {@link ProviderAdapter#prepare} made of this provider's config. */
    @SuppressWarnings("unchecked")
    public <T> T prepared() {
        return (T) prepared;
    }

    public TimeoutsConfig timeouts() {
        return timeouts;
    }

    /** Whether this provider answered 400 to {@code stream_options} (an adapter learns it once per snapshot). */
    public boolean streamOptionsRejected() {
        return streamOptionsRejected;
    }

    public void rejectStreamOptions() {
        streamOptionsRejected = true;
    }

    /** The next endpoint in turn (weighted, health-aware balancing comes with the routing issue). */
    public EndpointConfig nextEndpoint() {
        var endpoints = config.endpoints();
        return endpoints.get(Math.floorMod(next.getAndIncrement(), endpoints.size()));
    }
}
