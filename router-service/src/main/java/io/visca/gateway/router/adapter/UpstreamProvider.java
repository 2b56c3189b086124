package io.visca.gateway.router.adapter;

import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.TimeoutsConfig;

/**
 * What an adapter reads of the provider an {@link UpstreamCall} goes to. The routing table's provider runtime
 * implements it, so adapters never depend on routing.
 */
public interface UpstreamProvider {

    String name();

    /** The adapter of the provider's type. */
    ProviderAdapter adapter();

    /** What the adapter prepared from the config once per snapshot ({@link ProviderAdapter#prepare}). */
    <T> T prepared();

    TimeoutsConfig timeouts();

    /** Whether error messages may quote what the upstream said ({@code ROUTER_EXPOSE_UPSTREAM_DETAILS}). */
    boolean exposeUpstreamDetails();

    /** The endpoint's id, or {@code #n} when upstream details are hidden. */
    String endpointLabel(EndpointConfig endpoint);

    /** Whether the upstream refused {@code stream_options} once, so that it is no longer sent. */
    boolean streamOptionsRejected();

    void rejectStreamOptions();
}
