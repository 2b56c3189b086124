package io.visca.gateway.router.upstream;

import java.time.Duration;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.visca.gateway.outbound.OutboundGuard;
import io.visca.gateway.router.config.RouterConfig;

/**
 * The router's one way to call upstreams: Vert.x HTTP clients, one pair per event loop (created on first use there),
 * each with a keep-alive connection pool per endpoint (host and port). {@code https} endpoints offer HTTP/2 through ALPN and
 * fall back to HTTP/1.1; plain
 * {@code http} endpoints speak HTTP/1.1 (self-hosted model servers rarely take h2c). Nothing here blocks.
 * <p>
 * Every call, OAuth2 token requests and Replicate's follow-up requests included, first goes through the outbound URL
 * policy ({@link OutboundGuard}): the client connects to the address the policy checked (the URL's host stays the
 * {@code Host} header and the TLS name), and a refused address fails the call with {@link
 * io.visca.gateway.outbound.OutboundRefusedException} before anything is sent. Host names are looked up on a worker
 * thread and their verdict kept for {@link #VERDICT_REUSE}, so the event loops never wait for DNS and a request pays
 * one map lookup. Redirects are never followed.
 */
@Singleton
@Startup
public class UpstreamClient {

    /** How long a host name's verdict (and address) is used before it is looked up again, in the background. */
    static final Duration VERDICT_REUSE = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final HttpClientOptions plainOptions;
    private final HttpClientOptions tlsOptions;
    private final PoolOptions pool;
    /** Shared by threads that are not event loops (the OAuth token fetch may start on one). */
    private final HttpClient[] shared;
    /**
     * A client pair per event loop: connections a loop opens serve only that loop's requests, so an answer never hops
     * to another loop's thread (measured: a hop per request costs several µs of CPU).
     */
    private final ThreadLocal<HttpClient[]> perLoop;
    private final java.util.Queue<HttpClient> all = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final OutboundGuard outbound;
    private final int maxEventBytes;

    @Inject
    public UpstreamClient(Vertx vertx, RouterConfig config) {
        this.vertx = vertx;
        RouterConfig.Upstream upstream = config.upstream();
        this.maxEventBytes = upstream.maxEventBytes();
        int keepAliveSeconds = (int) Math.max(1, upstream.keepAliveTimeout().toSeconds());
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(upstream.maxConnectionsPerEndpoint())
                .setHttp2MaxSize(Math.max(1, upstream.maxConnectionsPerEndpoint() / 50)).setMaxWaitQueueSize(-1);
        HttpClientOptions common = new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(keepAliveSeconds)
                .setTcpNoDelay(true).setDecompressionSupported(false).setName("upstream");
        this.pool = pool;
        this.plainOptions = new HttpClientOptions(common).setProtocolVersion(HttpVersion.HTTP_1_1);
        this.tlsOptions = new HttpClientOptions(common).setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2KeepAliveTimeout(keepAliveSeconds);
        this.shared = clients();
        this.perLoop = ThreadLocal.withInitial(() -> Context.isOnEventLoopThread() ? clients() : shared);
        this.outbound = new OutboundGuard(vertx, config.outbound().policy(), VERDICT_REUSE);
    }

    /** The longest line or SSE event a stream mapper buffers ({@code router.upstream.max-event-bytes}). */
    public int maxEventBytes() {
        return maxEventBytes;
    }

    /** {@code [plain, tls]} */
    private HttpClient[] clients() {
        HttpClient[] pair = { vertx.createHttpClient(plainOptions, pool), vertx.createHttpClient(tlsOptions, pool) };
        all.add(pair[0]);
        all.add(pair[1]);
        return pair;
    }

    /**
     * What a call to a provider gives this client (the adapters' {@code UpstreamCall}): the client sits below the
     * adapters and knows nothing of them.
     */
    public interface Exchange {

        /** The provider's connect timeout. */
        int connectMs();

        /** The request now in flight (an abort resets it). */
        void inFlight(HttpClientRequest request);

        /** The response head arrived. */
        void respond();
    }

    /**
     * Sends one request for {@code call} with the provider's connect timeout. Its first-byte and total timeouts are
     * the caller's (one timer per request), which learns of the response head through {@link Exchange#respond()}.
     */
    public Future<HttpClientResponse> send(Exchange call, UpstreamRequest request) {
        return send(request, call.connectMs(), 0, call::inFlight).onSuccess(head -> call.respond());
    }

    /** Sends one request outside a call (e.g. to an OAuth2 token endpoint). */
    public Future<HttpClientResponse> send(UpstreamRequest request, int connectMs, int firstByteMs,
            Consumer<HttpClientRequest> sent) {
        RequestOptions options = target(request.url()).setMethod(request.method()).setHeaders(request.headers())
                .setConnectTimeout(connectMs).setFollowRedirects(false);
        if (firstByteMs > 0) {
            options.setIdleTimeout(firstByteMs);
        }
        Future<SocketAddress> server = outbound.server(options.getHost(), options.getPort());
        if (server.succeeded()) {
            return send(options.setServer(server.result()), request, sent);
        }
        return server.compose(address -> send(options.setServer(address), request, sent));
    }

    private Future<HttpClientResponse> send(RequestOptions options, UpstreamRequest request,
            Consumer<HttpClientRequest> sent) {
        HttpClient client = perLoop.get()[options.isSsl() ? 1 : 0];
        return client.request(options).compose(out -> {
            if (sent != null) {
                sent.accept(out);
            }
            return request.body() == null ? out.send() : out.send(request.body());
        });
    }

    /**
     * Host, port, TLS and path of an absolute {@code http(s)} URL, read by hand: {@code RequestOptions.setAbsoluteURI}
     * builds a {@code java.net.URL} per call, a measurable cost on the hot path. IPv6 literals ({@code [::1]}) work.
     */
    public static RequestOptions target(String url) {
        boolean ssl;
        int hostStart;
        if (url.regionMatches(true, 0, "https://", 0, 8)) {
            ssl = true;
            hostStart = 8;
        } else if (url.regionMatches(true, 0, "http://", 0, 7)) {
            ssl = false;
            hostStart = 7;
        } else {
            throw new IllegalArgumentException("not an http(s) URL: " + url);
        }
        int pathStart = url.indexOf('/', hostStart);
        int query = url.indexOf('?', hostStart);
        if (pathStart < 0 || (query >= 0 && query < pathStart)) {
            pathStart = query;
        }
        String authority = pathStart < 0 ? url.substring(hostStart) : url.substring(hostStart, pathStart);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        String host = authority;
        int port = ssl ? 443 : 80;
        int colon = authority.lastIndexOf(':');
        if (colon > authority.lastIndexOf(']')) {
            host = authority.substring(0, colon);
            port = Integer.parseInt(authority.substring(colon + 1));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String uri = pathStart < 0 ? "/"
                : url.charAt(pathStart) == '?' ? "/" + url.substring(pathStart)
                        : url.substring(pathStart);
        return new RequestOptions().setHost(host).setPort(port).setSsl(ssl).setURI(uri);
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
        outbound.close();
        all.forEach(HttpClient::close);
    }
}
