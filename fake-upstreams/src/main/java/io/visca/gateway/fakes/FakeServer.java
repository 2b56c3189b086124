package io.visca.gateway.fakes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * What every fake HTTP server here shares, whatever it fakes: its own Vert.x and HTTP server on 127.0.0.1, request
 * recording, a delay before the response head, required headers (answered with the faked service's own 401), and a
 * failure switch (answered with the faked service's own error body). Subclasses only speak their wire format:
 * {@link #route}, and the error shapes ({@link #unauthorized}, {@link #defaultErrorBody}, {@link #badJson}).
 *
 * @param <S> the concrete fake, so that the setters chain
 */
public abstract class FakeServer<S extends FakeServer<S>> implements AutoCloseable {

    protected static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx = Vertx.vertx();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Predicate<String>> requiredHeaders = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile HttpServer server;
    private volatile int boundPort;
    private volatile boolean recording = true;
    private volatile long delayMs;
    private volatile Failure failure;

    private record Failure(int status, String body) {
    }

    protected FakeServer() {
    }

    /** Binds to 127.0.0.1 on the given port (0: a free one); each fake's static {@code start} methods call it. */
    protected final S listen(int port) {
        try {
            bind(port);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        return self();
    }

    @SuppressWarnings("unchecked")
    protected final S self() {
        return (S) this;
    }

    /** The port it listens on (or listened on, while {@link #stop() stopped}). */
    public int port() {
        return boundPort;
    }

    /**
     * Stops listening, as a crashed or stopped model server does: connections are closed and new ones refused. Its
     * settings and recorded requests stay; {@link #restart()} listens again on the same port.
     */
    public S stop() {
        HttpServer s = server;
        server = null;
        if (s != null) {
            await(s.close());
        }
        return self();
    }

    /** Listens again on the port it had before {@link #stop()}. */
    public S restart() {
        if (server == null) {
            bind(boundPort);
        }
        return self();
    }

    private void bind(int port) {
        // HTTP/1.1 only, as the plain-http model servers are: no h2c upgrade
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false);
        server = await(vertx.createHttpServer(options).requestHandler(this::handle).listen(port, "127.0.0.1"));
        boundPort = server.actualPort();
    }

    /** The base URL a provider config names for this fake (with the prefix the real service's clients use). */
    public abstract String baseUrl();

    /** The root URL, {@code http://127.0.0.1:PORT}. */
    protected final String root() {
        return "http://127.0.0.1:" + port();
    }

    /** The requests received so far (all paths, probes included), oldest first. */
    public List<RecordedRequest> requests() {
        return new ArrayList<>(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    /** Turns request recording on or off (off for benchmarks). */
    public S recording(boolean value) {
        this.recording = value;
        return self();
    }

    /**
     * Every following model call fails with this status and body; a null body is the faked service's own default
     * error body for that status. A 429 carries {@code retry-after: 1}. Health and probe paths report the failure in
     * their own way (e.g. 503).
     */
    public S failWith(int status, String body) {
        this.failure = status == 0 ? null : new Failure(status, body);
        return self();
    }

    /** Undoes {@link #failWith}. */
    public S healthy() {
        this.failure = null;
        return self();
    }

    /** Delay before the response head, in milliseconds (0: none). */
    public S delay(long millis) {
        this.delayMs = millis;
        return self();
    }

    /**
     * A model call must carry this header with exactly this value, or it gets the faked service's 401. A null value
     * drops the requirement. Health and probe paths are exempt.
     */
    public S requireHeader(String name, String exactValue) {
        return requireHeader(name, exactValue == null ? null : exactValue::equals);
    }

    /** As {@link #requireHeader(String, String)}, with a test of the value; null drops the requirement. */
    public S requireHeader(String name, Predicate<String> valid) {
        String key = name.toLowerCase(Locale.ROOT);
        if (valid == null) {
            requiredHeaders.remove(key);
        } else {
            requiredHeaders.put(key, valid);
        }
        return self();
    }

    @Override
    public void close() {
        HttpServer s = server;
        if (s != null) {
            await(s.close());
        }
        await(vertx.close());
    }

    // ---- for subclasses ----

    /** Health and probe paths: exempt from required headers and from {@link #failWith}. */
    protected abstract boolean isProbe(String method, String path);

    /** Which (non-probe) calls {@link #failWith} applies to: by default every POST, i.e. the model calls. */
    protected boolean failureApplies(String method, String path) {
        return "POST".equals(method);
    }

    /** Answers a call that lacks a required header ({@code value} null) or carries a wrong value. */
    protected abstract void unauthorized(HttpServerResponse res, String header, String value);

    /** The faked service's own error body for a status, when {@link #failWith} gave none. */
    protected abstract String defaultErrorBody(int status);

    /** The content type of error bodies. */
    protected String errorContentType() {
        return "application/json";
    }

    /** Answers a body that is not a JSON object. */
    protected abstract void badJson(HttpServerResponse res);

    /** Serves one call that passed the header and failure checks. */
    protected abstract void route(HttpServerRequest req, String body) throws JsonProcessingException;

    /** True while {@link #failWith} is in force. */
    protected final boolean failing() {
        return failure != null;
    }

    protected final Vertx vertx() {
        return vertx;
    }

    /** A number unique within this fake, for ids. */
    protected final long nextId() {
        return ids.incrementAndGet();
    }

    /** Parses a request body that must be a JSON object (an empty body counts as {}). */
    protected static JsonNode parse(String body) throws JsonProcessingException {
        JsonNode node = JSON.readTree(body.isBlank() ? "{}" : body);
        if (node == null || !node.isObject()) {
            throw JsonMappingException.from((com.fasterxml.jackson.core.JsonParser) null, "not a JSON object");
        }
        return node;
    }

    protected static void json(HttpServerResponse res, int status, JsonNode body) {
        send(res, status, "application/json", body.toString());
    }

    protected static void send(HttpServerResponse res, int status, String contentType, String body) {
        res.setStatusCode(status);
        if (contentType != null) {
            res.putHeader("content-type", contentType);
        }
        res.end(Buffer.buffer(body));
    }

    /** Sends an error body with {@link #errorContentType()}; a 429 carries {@code retry-after}. */
    protected final void error(HttpServerResponse res, int status, String body) {
        if (status == 429) {
            res.putHeader("retry-after", "1");
        }
        send(res, status, errorContentType(), body);
    }

    /** HTTP's reason phrase for a status, e.g. "Not Found". */
    protected static String reason(int status) {
        return HttpResponseStatus.valueOf(status).reasonPhrase();
    }

    protected static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake server: " + e.getMessage(), e);
        }
    }

    // ---- the pipeline ----

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(buffer -> {
            String body = buffer.toString();
            if (recording) {
                Map<String, String> headers = new HashMap<>();
                req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
                requests.add(new RecordedRequest(req.method().name(), req.path(), Map.copyOf(headers), body));
            }
            long delay = delayMs;
            if (delay > 0) {
                vertx.setTimer(delay, t -> dispatch(req, body));
            } else {
                dispatch(req, body);
            }
        });
    }

    private void dispatch(HttpServerRequest req, String body) {
        HttpServerResponse res = req.response();
        String method = req.method().name();
        String path = req.path();
        try {
            if (!isProbe(method, path)) {
                for (Map.Entry<String, Predicate<String>> rule : requiredHeaders.entrySet()) {
                    String value = req.getHeader(rule.getKey());
                    if (value == null || !rule.getValue().test(value)) {
                        unauthorized(res, rule.getKey(), value);
                        return;
                    }
                }
                Failure f = failure;
                if (f != null && failureApplies(method, path)) {
                    error(res, f.status(), f.body() != null ? f.body() : defaultErrorBody(f.status()));
                    return;
                }
            }
            route(req, body);
        } catch (JsonProcessingException e) {
            badJson(res);
        } catch (RuntimeException e) {
            if (!res.ended() && !res.headWritten()) {
                send(res, 500, "text/plain", "fake server bug: " + e);
            }
        }
    }
}
