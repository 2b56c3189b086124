package io.visca.gateway.router.adapter;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.router.error.GatewayError;

/**
 * The only code that knows a provider type's wire format: it builds the upstream request from the OpenAI request,
 * and maps the upstream's answer, stream and errors back to OpenAI's. One CDI bean per type ({@code @Singleton}: no
 * client proxy on the hot path); {@link Adapters} finds
 * it by {@link #type()}, so a new provider type is one new class.
 */
public interface ProviderAdapter {

    /** The provider config {@code type} this adapter speaks (the {@code NAME} of its type in gateway-providers). */
    String type();

    boolean supports(Operation operation);

    /**
     * Prepares what the adapter needs from a provider's config once per snapshot (e.g. compiled transforms).
     *
     * @throws IllegalArgumentException when the config cannot be served, saying why
     */
    default Object prepare(ProviderConfig config) {
        return null;
    }

    /** Sends the call upstream: usually one request, several for polling APIs. */
    Future<UpstreamResponse> send(UpstreamCall call);

    /**
     * Maps a successful non-streaming upstream body to the OpenAI response body, and fills {@code call.usage()}.
     *
     * @throws GatewayError when the body is not what this provider type sends
     */
    Buffer response(UpstreamCall call, Buffer upstreamBody);

    /** A mapper for a successful upstream stream (only for {@link Operation#CHAT} and {@link Operation#COMPLETIONS}). */
    StreamMapper stream(UpstreamCall call);

    /** Maps an upstream error response (status outside 2xx) to the error the client gets. */
    GatewayError error(UpstreamCall call, UpstreamResponse response, Buffer body);
}
