package io.visca.gateway.health.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/** A tiny Vert.x server standing in for an alert webhook: records every POST, can refuse the next few with 503. */
public final class WebhookReceiver {

    /** One delivery attempt as received. */
    public record Delivery(String path, String query, String contentType, String body, int answeredWith) {
    }

    private static WebhookReceiver instance;

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger refuse = new AtomicInteger();

    private WebhookReceiver() {
        try {
            server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
                int status = refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 204;
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

    /** The next {@code n} deliveries are answered 503. */
    public void refuseNext(int n) {
        refuse.set(n);
    }

    public List<Delivery> deliveries() {
        return new ArrayList<>(deliveries);
    }
}
