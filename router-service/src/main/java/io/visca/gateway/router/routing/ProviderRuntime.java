package io.visca.gateway.router.routing;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.TimeoutsConfig;
import io.visca.gateway.router.adapter.ProviderAdapter;
import io.visca.gateway.router.adapter.UpstreamProvider;

/**
 * A provider as the router serves it: its config, its adapter, what the adapter prepared from the config once (e.g.
 * compiled transforms), its live state, and the balancing across its endpoints.
 */
public final class ProviderRuntime implements UpstreamProvider {

    private final ProviderConfig config;
    private final ProviderAdapter adapter;
    private final Object prepared;
    private final String secretsProblem;
    private final TimeoutsConfig timeouts;
    private final ProviderState state;
    private final List<EndpointConfig> endpoints;
    private final EndpointState[] endpointStates;
    /** How clients see each endpoint: its id, or when upstream details are hidden an id the operator gave, else #n. */
    private final String[] labels;
    private final boolean exposeUpstreamDetails;
    private final Rotation rotation;
    private volatile boolean streamOptionsRejected;

    public ProviderRuntime(ProviderConfig config, ProviderAdapter adapter, Object prepared, LiveState live) {
        this(config, adapter, prepared, live, null);
    }

    /** @param secretsProblem why its secrets could not be opened (its calls fail with it), or null */
    public ProviderRuntime(ProviderConfig config, ProviderAdapter adapter, Object prepared, LiveState live,
            String secretsProblem) {
        this.config = config;
        this.secretsProblem = secretsProblem;
        this.adapter = adapter;
        this.prepared = prepared;
        this.timeouts = config.timeouts() == null ? TimeoutsConfig.defaults() : config.timeouts();
        this.state = live.provider(config);
        this.endpoints = config.endpoints();
        this.endpointStates = new EndpointState[endpoints.size()];
        this.labels = new String[endpoints.size()];
        this.exposeUpstreamDetails = live.exposeUpstreamDetails();
        for (int i = 0; i < endpoints.size(); i++) {
            endpointStates[i] = live.endpoint(config.name(), endpoints.get(i));
            labels[i] = exposeUpstreamDetails ? endpoints.get(i).id() : hiddenLabel(endpoints.get(i), i);
        }
        this.rotation = live.rotation(config);
    }

    /**
     * The endpoint's id when its operator gave it one; {@code #<position>} when the registry derived it from
     * {@code base_url} ({@code host[:port]}, then {@code -2}, {@code -3} for repeats), as that names the upstream.
     */
    static String hiddenLabel(EndpointConfig endpoint, int index) {
        String id = endpoint.id() == null ? "" : endpoint.id();
        String derived;
        try {
            URI url = URI.create(endpoint.baseUrl());
            String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
            derived = url.getPort() < 0 ? host : host + ":" + url.getPort();
        } catch (IllegalArgumentException | NullPointerException e) {
            derived = null;
        }
        boolean fromUrl = id.isEmpty() || derived == null || id.equals(derived)
                || (id.startsWith(derived + "-") && id.substring(derived.length() + 1).chars().allMatch(Character::isDigit));
        return fromUrl ? "#" + (index + 1) : id;
    }

    /** Whether clients may learn endpoint hosts and ports and the upstream's own error messages. */
    public boolean exposeUpstreamDetails() {
        return exposeUpstreamDetails;
    }

    /** How clients see the endpoint at {@code index} ({@code x-visca-endpoint}, error messages). */
    public String endpointLabel(int index) {
        return labels[index];
    }

    /** How clients see {@code endpoint}, one of this provider's. */
    public String endpointLabel(EndpointConfig endpoint) {
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i) == endpoint) {
                return labels[i];
            }
        }
        return exposeUpstreamDetails ? endpoint.id() : "#?";
    }

    public String name() {
        return config.name();
    }

    public ProviderConfig config() {
        return config;
    }

    /**
     * Why a literal secret of this provider could not be decrypted with the secrets key when the snapshot was taken
     * in (names the field, never the value); null when its secrets are usable.
     */
    public String secretsProblem() {
        return secretsProblem;
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

    public ProviderState state() {
        return state;
    }

    /** Whether this provider answered 400 to {@code stream_options} (an adapter learns it once per snapshot). */
    public boolean streamOptionsRejected() {
        return streamOptionsRejected;
    }

    public void rejectStreamOptions() {
        streamOptionsRejected = true;
    }

    public int endpointCount() {
        return endpoints.size();
    }

    public EndpointConfig endpoint(int index) {
        return endpoints.get(index);
    }

    public EndpointState endpointState(int index) {
        return endpointStates[index];
    }

    /**
     * Whether at least one endpoint may take a request now.
     *
     * @param ignoreHealth failing open: only its circuit breaker counts, not the health monitor's verdict
     */
    public boolean anyEndpointAvailable(long nowNanos, boolean ignoreHealth) {
        for (EndpointState endpoint : endpointStates) {
            if (ignoreHealth ? endpoint.breakerAllows(nowNanos) : endpoint.available(nowNanos)) {
                return true;
            }
        }
        return false;
    }

    /** Requests in flight on all its endpoints. */
    public int inFlight() {
        return state.inFlight().get();
    }

    /** The lowest latency EWMA among its available endpoints, NaN when none has been measured. */
    public double bestLatencyMs(long nowNanos) {
        double best = Double.NaN;
        for (EndpointState endpoint : endpointStates) {
            double latency = endpoint.latencyMs();
            if (endpoint.available(nowNanos) && !Double.isNaN(latency) && !(latency >= best)) {
                best = latency;
            }
        }
        return best;
    }

    /** The sum of its endpoints' weights: its share under {@code weighted} routing unless the policy sets one. */
    public int totalWeight() {
        return rotation.totalWeight();
    }

    /**
     * The next endpoint by smooth weighted round-robin among the available ones (an endpoint that comes back rejoins
     * the rotation); -1 when none is available. Over any run of requests each endpoint gets its exact share.
     */
    public int nextEndpoint() {
        return nextEndpoint(false);
    }

    /**
     * As {@link #nextEndpoint()}; failing open ({@link FailOpen}), among the endpoints the circuit breakers let through
     * when none is available, whatever the health monitor says.
     */
    public int nextEndpoint(boolean failOpen) {
        int healthy = next(false);
        return healthy < 0 && failOpen ? next(true) : healthy;
    }

    private int next(boolean ignoreHealth) {
        if (endpointStates.length == 1) {
            long now = System.nanoTime();
            return (ignoreHealth ? endpointStates[0].breakerAllows(now) : endpointStates[0].available(now)) ? 0 : -1;
        }
        long now = System.nanoTime();
        return rotation.next(i -> ignoreHealth ? endpointStates[i].breakerAllows(now) : endpointStates[i].available(now));
    }
}
