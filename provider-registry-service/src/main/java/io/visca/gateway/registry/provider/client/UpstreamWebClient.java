package io.visca.gateway.registry.provider.client;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.net.SocketAddress;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.visca.gateway.outbound.OutboundGuard;
import io.visca.gateway.registry.config.RegistryConfig;

/**
 * The one non-blocking HTTP client the registry calls upstreams with (Test Connection, OAuth2 tokens), and the
 * registry's outbound URL policy ({@link OutboundGuard}, {@code registry.outbound.*}). Every request is made through
 * {@link #request}: the URL's host is looked up (on a worker thread, afresh for each call) and judged, and the client
 * connects to exactly the address that was judged; a refused one fails with
 * {@link io.visca.gateway.outbound.OutboundRefusedException} before anything is sent. Redirects are not followed.
 */
@ApplicationScoped
@Startup
public class UpstreamWebClient {

    private final WebClient client;
    private final OutboundGuard outbound;

    UpstreamWebClient(Vertx vertx, RegistryConfig config) {
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.testConnection().connectTimeout().toMillis())
                .setFollowRedirects(false)
                .setMaxPoolSize(16)
                .setUserAgent("visca-gateway-registry/test-connection"));
        this.outbound = new OutboundGuard(vertx.getDelegate(), config.outbound().policy(), Duration.ZERO);
    }

    /** The policy with its address lookups, for the save-time check of provider URLs. */
    public OutboundGuard outbound() {
        return outbound;
    }

    /**
     * A request to an absolute {@code http(s)} URL, bound to the address the outbound URL policy allowed (the URL's
     * host stays the {@code Host} header and the TLS name).
     *
     * @return fails with {@link io.visca.gateway.outbound.OutboundRefusedException}, or
     *         {@link java.net.UnknownHostException} when the host does not resolve
     */
    public Uni<HttpRequest<Buffer>> request(HttpMethod method, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(e);
        }
        String host = uri.getHost();
        if (host == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("no host in " + url));
        }
        int port = uri.getPort() >= 0 ? uri.getPort()
                : "https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
        return Uni.createFrom().completionStage(() -> outbound.server(host, port).toCompletionStage())
                .map(server -> client.requestAbs(method, SocketAddress.newInstance(server), url)
                        .followRedirects(false));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
