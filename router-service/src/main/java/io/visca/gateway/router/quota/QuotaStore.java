package io.visca.gateway.router.quota;

import java.io.IOException;
import java.net.URI;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.visca.gateway.contracts.quota.QuotaAnswer;
import io.visca.gateway.contracts.quota.QuotaExchange;
import io.visca.gateway.router.config.RouterConfig;

/**
 * The quota store's HTTP API as the router calls it: {@code POST /internal/quota} with the service token. A failed
 * call (refused, timed out, a non-200 answer) fails the future; the caller decides what waiting requests get.
 */
@Singleton
public class QuotaStore {

    private final HttpClient client;
    private final ObjectMapper json;
    private final RequestOptions post;

    QuotaStore(Vertx vertx, RouterConfig config, ObjectMapper json) {
        URI store = URI.create(config.quota().storeUrl());
        boolean tls = "https".equalsIgnoreCase(store.getScheme());
        int port = store.getPort() > 0 ? store.getPort() : tls ? 443 : 80;
        String base = store.getRawPath() == null ? "" : store.getRawPath().replaceAll("/+$", "");
        this.client = vertx.createHttpClient(new HttpClientOptions().setSsl(tls).setMaxPoolSize(8)
                .setConnectTimeout((int) config.quota().storeTimeout().toMillis()));
        this.post = new RequestOptions().setMethod(HttpMethod.POST).setHost(store.getHost()).setPort(port)
                .setURI(base + "/internal/quota").setTimeout(config.quota().storeTimeout().toMillis())
                .putHeader("authorization", "Bearer " + config.registry().serviceToken())
                .putHeader("content-type", "application/json");
        this.json = json;
    }

    public Future<QuotaAnswer> exchange(QuotaExchange exchange) {
        Buffer body;
        try {
            body = Buffer.buffer(json.writeValueAsBytes(exchange));
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        return client.request(post).compose(request -> request.send(body)).compose(response -> response.body()
                .compose(answer -> {
                    if (response.statusCode() != 200) {
                        return Future.failedFuture(new IOException("the quota store answered HTTP "
                                + response.statusCode()));
                    }
                    try {
                        return Future.succeededFuture(json.readValue(answer.getBytes(), QuotaAnswer.class));
                    } catch (IOException e) {
                        return Future.failedFuture(new IOException("the quota store's answer is not readable"));
                    }
                }));
    }
}
