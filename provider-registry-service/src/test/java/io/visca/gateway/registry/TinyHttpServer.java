package io.visca.gateway.registry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A loopback HTTP server answering every request with what a function decides: for upstream behaviours the fake
 * model servers do not have (an HTML page where JSON is expected, an OAuth2 token endpoint). A function that returns
 * null leaves the request unanswered.
 */
public final class TinyHttpServer implements AutoCloseable {

    /** What the server answers, with extra response headers. */
    public record Reply(int status, String contentType, String body, Map<String, String> headers) {

        public Reply(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }
    }

    /** A request it received: method, path, headers (lower-case names), body and query string (null if none). */
    public record Received(String method, String path, Map<String, String> headers, String body, String query) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private TinyHttpServer(Function<Received, Reply> handler) throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Received in = new Received(request.method().name(), request.path(), headers(request), body.toString(),
                    request.query());
            received.add(in);
            Reply reply = handler.apply(in);
            if (reply == null) {
                return; // a server that does not answer: the request stays open until the client gives up
            }
            reply.headers().forEach(request.response()::putHeader);
            request.response().setStatusCode(reply.status()).putHeader("content-type", reply.contentType())
                    .end(reply.body());
        }));
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public static TinyHttpServer start(Function<Received, Reply> handler) throws Exception {
        return new TinyHttpServer(handler);
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private static Map<String, String> headers(HttpServerRequest request) {
        Map<String, String> headers = new java.util.HashMap<>();
        request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
        return headers;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
