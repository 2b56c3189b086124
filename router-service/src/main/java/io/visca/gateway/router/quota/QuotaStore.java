package io.visca.gateway.router.quota;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

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
 * call (refused, timed out, a non-200 answer) fails the future; the caller decides what waiting requests get. After
 * a failure the store counts as {@link #down()} for a second, so requests that need it do not pile up waiting.
 */
@Singleton
public class QuotaStore {

    private static final Logger LOG = Logger.getLogger(QuotaStore.class);
    /** After a failed call, requests needing the store fail at once for this long (no pile of waiting calls). */
    private static final long DOWN_NANOS = 1_000_000_000L;

    /** How this router names itself to the store: its leases and grants are held under this id. */
    private final String routerId = "router-" + UUID.randomUUID();
    private final HttpClient client;
    private volatile long downUntil;
    /** Releases whose exchange failed, to go with the next exchange. */
    private final Queue<QuotaExchange.Release> unconfirmed = new ConcurrentLinkedQueue<>();
    private final ObjectMapper json;
    private final RequestOptions post;

    @Inject
    QuotaStore(Vertx vertx, RouterConfig config, ObjectMapper json) {
        this(vertx, URI.create(config.quota().storeUrl()), config.registry().serviceToken(),
                config.quota().storeTimeout().toMillis(), json);
    }

    QuotaStore(Vertx vertx, URI store, String serviceToken, long timeoutMillis, ObjectMapper json) {
        boolean tls = "https".equalsIgnoreCase(store.getScheme());
        int port = store.getPort() > 0 ? store.getPort() : tls ? 443 : 80;
        String base = store.getRawPath() == null ? "" : store.getRawPath().replaceAll("/+$", "");
        this.client = vertx.createHttpClient(new HttpClientOptions().setSsl(tls).setMaxPoolSize(8)
                .setConnectTimeout((int) timeoutMillis));
        this.post = new RequestOptions().setMethod(HttpMethod.POST).setHost(store.getHost()).setPort(port)
                .setURI(base + "/internal/quota").setTimeout(timeoutMillis)
                .putHeader("authorization", "Bearer " + serviceToken)
                .putHeader("content-type", "application/json");
        this.json = json;
    }

    /** Whether a call failed less than a second ago. */
    boolean down() {
        return System.nanoTime() - downUntil < 0;
    }

    /**
     * One exchange of this router's releases, held leases and asks (the router id is filled in). Releases of an
     * exchange that failed go again with the next one: the router has forgotten those leases, and the store would
     * count them at their full amount until it reclaims them (after they expire plus its grace), leaving that much
     * of a budget unused after an outage. So do the leases a failed exchange asked for (under ids this router chose),
     * which a stalled store may grant when it wakes. A release the store already took, or of a lease it never
     * granted, is ignored by it.
     */
    Future<QuotaAnswer> exchange(List<QuotaExchange.Release> releases, List<String> held,
            List<QuotaExchange.Ask> asks) {
        List<QuotaExchange.Release> sent = releases;
        if (!unconfirmed.isEmpty()) {
            sent = new ArrayList<>(releases);
            for (QuotaExchange.Release release; (release = unconfirmed.poll()) != null;) {
                sent.add(release);
            }
        }
        List<QuotaExchange.Release> all = sent;
        return exchange(new QuotaExchange(routerId, all, held, asks)).onFailure(cause -> {
            unconfirmed.addAll(all);
            for (QuotaExchange.Ask ask : asks) {
                if (ask.leaseId() != null) {
                    // a stalled store may still grant it when it wakes, to nobody: given back with nothing used
                    unconfirmed.add(new QuotaExchange.Release(ask.leaseId(), BigDecimal.ZERO));
                }
            }
            downUntil = System.nanoTime() + DOWN_NANOS;
            LOG.debugf("the quota store could not be asked (%d releases kept to send again): %s", all.size(),
                    cause.getMessage());
        });
    }

    /** Whether releases wait to be sent again (an exchange is due even with nothing else to say). */
    boolean releasesPending() {
        return !unconfirmed.isEmpty();
    }

    private Future<QuotaAnswer> exchange(QuotaExchange exchange) {
        Buffer body;
        try {
            body = Buffer.buffer(json.writeValueAsBytes(exchange));
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        // body() is asked for in the callback the response arrives in: asked later (a caller that is not on a Vert.x
        // thread, such as the shutdown hook, chaining on an already answered request), the body has gone by and the
        // future never completes
        return client.request(post).compose(request -> request.send(body).compose(response -> response.body()
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
                })));
    }
}
