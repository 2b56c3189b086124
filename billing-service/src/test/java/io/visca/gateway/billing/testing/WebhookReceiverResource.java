package io.visca.gateway.billing.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A real HTTP server (Vert.x, on a free port) that receives billing's budget alert webhook, as a receiver would. It
 * answers 204, or 503 while the alert's scope is set failing, or nothing at all while it is set hanging; tests steer
 * and read it over HTTP ({@link WebhookReceiver}): {@code GET /received} lists every post (answered status, 0 for
 * none, headers, body), {@code PUT /failing?scope=[&mode=hang]} and {@code DELETE /failing?scope=} make a scope's
 * posts fail (or hang) or succeed. Billing gets its URL (with a token in the query, as real
 * hooks have, which must never be logged) and a signing secret.
 */
public class WebhookReceiverResource implements QuarkusTestResourceLifecycleManager {

    public static final String SECRET = "test-webhook-secret";
    public static final String URL_TOKEN = "hook-token-0f9e8d7c";

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        List<JsonObject> received = new CopyOnWriteArrayList<>();
        Set<String> failing = ConcurrentHashMap.newKeySet();
        Set<String> hanging = ConcurrentHashMap.newKeySet();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            String path = request.path();
            if (path.equals("/received")) {
                request.response().putHeader("content-type", "application/json")
                        .end(new JsonArray(List.copyOf(received)).encode());
            } else if (path.equals("/failing")) {
                String scope = request.getParam("scope");
                if (request.method().name().equals("PUT")) {
                    ("hang".equals(request.getParam("mode")) ? hanging : failing).add(scope);
                } else {
                    failing.remove(scope);
                    hanging.remove(scope);
                }
                request.response().setStatusCode(204).end();
            } else if (path.equals("/hooks/budget")) {
                request.body().onSuccess(body -> {
                    JsonObject alert = body.toJsonObject();
                    if (hanging.contains(alert.getString("scope"))) {
                        received.add(new JsonObject().put("status", 0).put("path", request.uri())
                                .put("body", body.toString()));
                        return; // never answers
                    }
                    int status = failing.contains(alert.getString("scope")) ? 503 : 204;
                    received.add(new JsonObject().put("status", status).put("path", request.uri())
                            .put("method", request.method().name())
                            .put("content_type", request.getHeader("content-type"))
                            .put("signature", request.getHeader("x-visca-signature"))
                            .put("alert_id", request.getHeader("x-visca-alert-id")).put("body", body.toString()));
                    request.response().setStatusCode(status).end();
                });
            } else {
                request.response().setStatusCode(404).end();
            }
        });
        int port;
        try {
            port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
                    .actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("the webhook receiver did not start", e);
        }
        return Map.of("billing.alerts.webhook-url", "http://127.0.0.1:" + port + "/hooks/budget?token=" + URL_TOKEN,
                "billing.alerts.webhook-secret", SECRET);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
