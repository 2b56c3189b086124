package io.visca.gateway.router.proxy;

import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.visca.gateway.contracts.provider.GatewayKey;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.error.OpenAiErrors;
import io.visca.gateway.router.routing.RoutingTable;

/**
 * The OpenAI-compatible API: {@code POST /v1/chat/completions}, {@code /v1/completions}, {@code /v1/embeddings},
 * {@code GET /v1/models} and {@code /v1/models/{id}}, as plain Vert.x routes (no per-request reflection or body
 * handler). Anything else under {@code /v1} is an OpenAI-shaped 404; an unexpected failure an OpenAI-shaped 500.
 */
@Singleton
public class V1Routes {

    private static final Logger LOG = Logger.getLogger(V1Routes.class);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final ProxyServices services;

    public V1Routes(ProxyServices services) {
        this.services = services;
    }

    void register(@Observes Router router) {
        router.post("/v1/chat/completions").handler(ctx -> proxy(ctx, Operation.CHAT));
        router.post("/v1/completions").handler(ctx -> proxy(ctx, Operation.COMPLETIONS));
        router.post("/v1/embeddings").handler(ctx -> proxy(ctx, Operation.EMBEDDINGS));
        router.get("/v1/models").handler(this::models);
        router.getWithRegex("/v1/models/(?<id>.+)").handler(this::model);
        router.route("/v1/*").handler(this::unknown);
        router.route("/v1/*").failureHandler(this::failure);
    }

    private void proxy(RoutingContext ctx, Operation operation) {
        HttpServerRequest request = ctx.request();
        String requestId = requestId(request);
        request.response().putHeader(Headers.REQUEST_ID, requestId);
        new ProxyExchange(services, request, operation, requestId).run();
    }

    private void models(RoutingContext ctx) {
        RoutingTable table = readOnly(ctx);
        if (table != null) {
            GatewayKey key = ctx.get(KEY);
            json(ctx, key.models() == null ? table.modelList() : table.modelList(key.models()));
        }
    }

    private void model(RoutingContext ctx) {
        RoutingTable table = readOnly(ctx);
        if (table == null) {
            return;
        }
        String id = ctx.pathParam("id");
        GatewayKey key = ctx.get(KEY);
        Buffer body = key.models() == null || key.models().contains(id) ? table.model(id) : null;
        if (body == null) {
            OpenAiErrors.send(ctx.response(), GatewayError.modelNotFound(id));
        } else {
            json(ctx, body);
        }
    }

    /** Authenticates a GET; @return the table to answer from, or null when a 401 was sent. */
    private RoutingTable readOnly(RoutingContext ctx) {
        ctx.response().putHeader(Headers.REQUEST_ID, requestId(ctx.request()));
        ctx.request().resume();
        RoutingTable table = services.snapshots().table();
        try {
            ctx.put(KEY, ClientKeys.authenticate(ctx.request(), table));
            return table;
        } catch (GatewayError e) {
            OpenAiErrors.send(ctx.response(), e);
            return null;
        }
    }

    private static void json(RoutingContext ctx, Buffer body) {
        ctx.response().putHeader(Headers.CONTENT_TYPE, Headers.JSON).end(body);
    }

    /** The routing context's entry holding the authenticated key of a GET. */
    private static final String KEY = "visca.key";

    private void unknown(RoutingContext ctx) {
        ctx.request().resume();
        ctx.response().putHeader(Headers.REQUEST_ID, requestId(ctx.request()));
        OpenAiErrors.send(ctx.response(), new GatewayError(Failure.UNKNOWN_URL,
                "Invalid URL (" + ctx.request().method() + " " + ctx.request().path() + ")"));
    }

    private void failure(RoutingContext ctx) {
        String requestId = ctx.response().headers().get(Headers.REQUEST_ID);
        if (ctx.failure() != null) {
            LOG.errorf(ctx.failure(), "request %s failed inside the gateway", requestId);
        }
        int status = ctx.statusCode() >= 400 && ctx.statusCode() < 500 ? ctx.statusCode() : 500;
        OpenAiErrors.send(ctx.response(), GatewayError.routingFailed(status,
                status == 500 ? "The gateway failed to process this request (request id " + requestId + ")."
                        : "The request could not be processed (HTTP " + status + ")."));
    }

    /** The client's {@code x-request-id} when it is a sane token, else a new random one. */
    static String requestId(HttpServerRequest request) {
        String given = request.getHeader(Headers.REQUEST_ID);
        if (given != null && !given.isEmpty() && given.length() <= 128 && printable(given)) {
            return given;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[28];
        "req_".getChars(0, 4, id, 0);
        long a = random.nextLong();
        long b = random.nextLong();
        for (int i = 0; i < 12; i++) {
            id[4 + i] = HEX[(int) (a >>> (i * 4)) & 0xf];
            id[16 + i] = HEX[(int) (b >>> (i * 4)) & 0xf];
        }
        return new String(id);
    }

    private static boolean printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
