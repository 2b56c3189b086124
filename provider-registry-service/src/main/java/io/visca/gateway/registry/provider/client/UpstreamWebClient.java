package io.visca.gateway.registry.provider.client;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.visca.gateway.registry.config.RegistryConfig;

/** The one non-blocking HTTP client the registry calls upstreams with (Test Connection, OAuth2 tokens). */
@ApplicationScoped
public class UpstreamWebClient {

    private final WebClient client;

    UpstreamWebClient(Vertx vertx, RegistryConfig config) {
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.testConnection().connectTimeout().toMillis())
                .setFollowRedirects(false)
                .setMaxPoolSize(16)
                .setUserAgent("visca-gateway-registry/test-connection"));
    }

    public WebClient get() {
        return client;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
