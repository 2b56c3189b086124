package io.visca.gateway.health.upstream;

import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.outbound.OutboundGuard;

/**
 * The monitor's one Vert.x HTTP client (HTTP/1.1, a small keep-alive pool per endpoint, TLS verified): probes, OAuth2
 * token requests and alert webhooks all go through it, and none of them blocks a thread.
 * <p>
 * Probes and token requests go through {@link #upstream}: the outbound URL policy ({@link OutboundGuard},
 * {@code health.outbound.*}) judges the address the URL's host resolves to (looked up on a worker thread, the verdict
 * kept {@link #VERDICT_REUSE}), and the client connects to exactly that address; a refused one fails with
 * {@link io.visca.gateway.outbound.OutboundRefusedException} before anything is sent. Redirects are not followed.
 */
@Singleton
@Startup
public class ProbeHttp {

    /** How long a host name's verdict is used before it is looked up again (in the background). */
    static final Duration VERDICT_REUSE = Duration.ofSeconds(30);

    private final HttpClient client;
    private final OutboundGuard outbound;

    @Inject
    public ProbeHttp(Vertx vertx, HealthConfig config) {
        HealthConfig.Probe probe = config.probe();
        int keepAliveSeconds = (int) Math.max(1, probe.keepAliveTimeout().toSeconds());
        HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true).setKeepAliveTimeout(keepAliveSeconds).setTcpNoDelay(true)
                .setDecompressionSupported(true).setVerifyHost(true).setName("health-probe");
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(Math.max(1, probe.maxConnectionsPerEndpoint()))
                .setMaxWaitQueueSize(-1);
        this.client = vertx.createHttpClient(options, pool);
        this.outbound = new OutboundGuard(vertx, config.outbound().policy(), VERDICT_REUSE);
    }

    /**
     * A request to a provider (a probe, a token request): {@code options} carry the URL's host and port; the client
     * connects to the address the outbound URL policy allowed for that host, and follows no redirect.
     *
     * @return fails with {@link io.visca.gateway.outbound.OutboundRefusedException} when the policy refuses the
     *         address, or with {@link java.net.UnknownHostException} when the host does not resolve
     */
    public Future<HttpClientRequest> upstream(RequestOptions options) {
        options.setFollowRedirects(false);
        return outbound.server(options.getHost(), options.getPort())
                .compose(server -> client.request(options.setServer(server)));
    }

    /** The client itself, for the operator's own destinations (alert webhooks), which the policy does not cover. */
    public HttpClient client() {
        return client;
    }

    @PreDestroy
    void close() {
        outbound.close();
        client.close();
    }
}
