package io.visca.gateway.router.proxy;

import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamRequest;
import io.visca.gateway.router.config.RouterConfig;

/**
 * The router's one way to call upstreams: Vert.x HTTP clients created once, with a keep-alive connection pool per
 * endpoint (host and port). {@code https} endpoints offer HTTP/2 through ALPN and fall back to HTTP/1.1; plain
 * {@code http} endpoints speak HTTP/1.1 (self-hosted model servers rarely take h2c). Nothing here blocks.
 */
@ApplicationScoped
public class UpstreamClient {

    private final Vertx vertx;
    private final HttpClient plain;
    private final HttpClient tls;

    @Inject
    public UpstreamClient(Vertx vertx, RouterConfig config) {
        this.vertx = vertx;
        RouterConfig.Upstream upstream = config.upstream();
        int keepAliveSeconds = (int) Math.max(1, upstream.keepAliveTimeout().toSeconds());
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(upstream.maxConnectionsPerEndpoint())
                .setHttp2MaxSize(Math.max(1, upstream.maxConnectionsPerEndpoint() / 50)).setMaxWaitQueueSize(-1);
        HttpClientOptions common = new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(keepAliveSeconds)
                .setTcpNoDelay(true).setDecompressionSupported(false).setName("upstream");
        this.plain = vertx.createHttpClient(new HttpClientOptions(common).setProtocolVersion(HttpVersion.HTTP_1_1),
                pool);
        this.tls = vertx.createHttpClient(new HttpClientOptions(common).setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2).setHttp2KeepAliveTimeout(keepAliveSeconds), pool);
    }

    /**
     * Sends one request for {@code call}: connect timeout and first-byte timeout from the provider's
     * {@code timeouts} (the first-byte timeout also bounds silence between stream chunks). The call's total timeout is
     * the caller's.
     */
    public Future<HttpClientResponse> send(UpstreamCall call, UpstreamRequest request) {
        return send(request, call.timeouts().connectMs(), call.timeouts().firstByteMs(), call::inFlight);
    }

    /** Sends one request outside a call (e.g. to an OAuth2 token endpoint). */
    public Future<HttpClientResponse> send(UpstreamRequest request, int connectMs, int firstByteMs,
            Consumer<HttpClientRequest> sent) {
        RequestOptions options = new RequestOptions().setMethod(request.method()).setAbsoluteURI(request.url())
                .setHeaders(request.headers()).setConnectTimeout(connectMs).setIdleTimeout(firstByteMs);
        HttpClient client = request.url().regionMatches(true, 0, "https:", 0, 6) ? tls : plain;
        return client.request(options).compose(out -> {
            if (sent != null) {
                sent.accept(out);
            }
            return request.body() == null ? out.send() : out.send(request.body());
        });
    }

    /** Completes after {@code millis} (polling APIs wait between polls without blocking). */
    public Future<Void> sleep(long millis) {
        return Future.future(promise -> vertx.setTimer(Math.max(1, millis), id -> promise.complete()));
    }

    public Vertx vertx() {
        return vertx;
    }

    @PreDestroy
    void close() {
        plain.close();
        tls.close();
    }
}
