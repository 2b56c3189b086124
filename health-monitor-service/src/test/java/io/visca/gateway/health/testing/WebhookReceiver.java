package io.visca.gateway.health.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/** A tiny Vert.x server standing in for an alert webhook: records every POST, can refuse some with 503. */
public final class WebhookReceiver {

    /** One delivery attempt as received. */
    public record Delivery(String path, String query, String contentType, String body, int answeredWith) {
    }

    private static WebhookReceiver instance;

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> refusals = new ConcurrentHashMap<>();

    private WebhookReceiver() {
        try {
            server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
                int status = refused(body.toString()) ? 503 : 204;
                deliveries.add(new Delivery(req.path(), req.query(), req.getHeader("content-type"), body.toString(),
                        status));
                req.response().setStatusCode(status).end();
            })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the webhook receiver did not start", e);
        }
    }

    public static synchronized WebhookReceiver get() {
        if (instance == null) {
            instance = new WebhookReceiver();
        }
        return instance;
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** The next {@code n} deliveries of events of this endpoint ({@code provider/endpoint}) are answered 503. */
    public void refuseNext(String key, int n) {
        refusals.put(key, n);
    }

    private boolean refused(String body) {
        for (Map.Entry<String, Integer> refusal : refusals.entrySet()) {
            String[] key = refusal.getKey().split("/", 2);
            if (body.contains("\"provider\":\"" + key[0] + "\"") && body.contains("\"endpoint\":\"" + key[1] + "\"")
                    && refusals.computeIfPresent(refusal.getKey(), (k, n) -> n - 1) >= 0) {
                return true;
            }
        }
        return false;
    }

    public List<Delivery> deliveries() {
        return new ArrayList<>(deliveries);
    }
}
