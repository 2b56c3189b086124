package io.visca.gateway.health.probe;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.visca.gateway.health.config.HealthConfig;

/**
 * The monitor's one Vert.x HTTP client (HTTP/1.1, a small keep-alive pool per endpoint, TLS verified): probes, OAuth2
 * token requests and alert webhooks all go through it, and none of them blocks a thread.
 */
@Singleton
public class ProbeHttp {

    private final HttpClient client;

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
    }

    public HttpClient client() {
        return client;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
