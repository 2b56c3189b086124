package io.visca.gateway.router.proxy;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.ContextInternal;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.GatewayKey;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.ProviderAdapter;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamErrors;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.routing.ModelRoute;
import io.visca.gateway.router.routing.RoutingTable;
import io.visca.gateway.router.usage.FinishedRequest;
import io.visca.gateway.router.usage.Pricing;

/**
 * One /v1 request from arrival to its last byte: authenticate, read and parse the body once, resolve the model, call
 * the upstream through its adapter, and answer (JSON or a piped SSE stream with back-pressure), then record what it
 * cost. Runs on the request's event loop and never blocks it.
 */
final class ProxyExchange {

    private static final Logger LOG = Logger.getLogger(ProxyExchange.class);

    private final ProxyServices services;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final Operation operation;
    private final String requestId;
    private final long startNanos = System.nanoTime();
    private RoutingTable table;
    private GatewayKey key;
    private String requestedModel;
    private boolean streamRequested;
    private ModelRoute route;
    private UpstreamCall call;
    private ScheduledFuture<?> timer;
    private ContextInternal context;
    private long upstreamEndNanos;
    private boolean finished;

    ProxyExchange(ProxyServices services, HttpServerRequest request, Operation operation, String requestId) {
        this.services = services;
        this.request = request;
        this.response = request.response();
        this.operation = operation;
        this.requestId = requestId;
    }

    void run() {
        table = services.snapshots().table();
        try {
            key = ClientKeys.authenticate(request, table);
        } catch (GatewayError e) {
            request.resume();
            fail(e);
            return;
        }
        RequestBodies.read(request, services.config().maxRequestBytes()).onComplete(read -> {
            if (read.failed()) {
                if (read.cause() instanceof GatewayError e && e.status() == 413) {
                    response.putHeader("connection", "close");
                }
                fail(read.cause() instanceof GatewayError e ? e
                        : GatewayError.badRequest("The request body could not be read.", null, null));
                return;
            }
            try {
                route(read.result());
            } catch (GatewayError e) {
                fail(e);
            } catch (RuntimeException e) {
                internalError(e);
            }
        });
    }

    private void route(Buffer raw) {
        ObjectNode body = RequestBodies.parseObject(raw);
        requestedModel = RequestValidator.validate(operation, body);
        streamRequested = body.path("stream").asBoolean(false);
        List<ModelRoute> routes = table.routes(requestedModel);
        if (routes.isEmpty()) {
            throw GatewayError.modelNotFound(requestedModel);
        }
        // One candidate, one endpoint in turn: strategies, fallback and health-aware balancing are the routing issue's.
        route = routes.get(0);
        ProviderAdapter adapter = route.provider().adapter();
        if (!adapter.supports(operation)) {
            throw UpstreamErrors.unsupported(route.provider().name(), adapter.type(), operation);
        }
        EndpointConfig endpoint = route.provider().nextEndpoint();
        services.credentials().headers(route.provider()).onComplete(credentials -> {
            if (credentials.failed()) {
                fail(credentials.cause() instanceof GatewayError e ? e
                        : new GatewayError(502, GatewayError.UPSTREAM, "upstream_auth_failed", null, "Provider '"
                                + route.provider().name() + "': its credentials could not be prepared.", 0, true));
                return;
            }
            attempt(adapter, endpoint, credentials.result(), body, raw);
        });
    }

    private void attempt(ProviderAdapter adapter, EndpointConfig endpoint, MultiMap credentials, ObjectNode body,
            Buffer raw) {
        if (finished) {
            return;
        }
        call = new UpstreamCall(requestId, operation, body, raw, route, endpoint, credentials, services.http());
        response.closeHandler(v -> {
            if (!finished) {
                call.abort(new GatewayError(499, GatewayError.INVALID_REQUEST, "client_closed", null,
                        "The client closed the connection.", 0, false));
            }
        });
        context = (ContextInternal) services.vertx().getOrCreateContext();
        schedule(Math.min(call.timeouts().firstByteMs(), call.timeouts().totalMs()));
        Future<UpstreamResponse> sent;
        try {
            sent = adapter.send(call);
        } catch (GatewayError e) {
            sent = Future.failedFuture(e);
        } catch (RuntimeException e) {
            internalError(e); // never a request left hanging
            return;
        }
        sent.onComplete(answer -> {
            try {
                if (answer.failed()) {
                    fail(upstreamFailure(answer.cause()));
                } else if (!answer.result().ok()) {
                    UpstreamResponse upstream = answer.result();
                    body(upstream).onComplete(errorBody -> fail(errorBody.failed() ? upstreamFailure(errorBody.cause())
                            : adapter.error(call, upstream, errorBody.result())));
                } else if (call.stream() && operation != Operation.EMBEDDINGS) {
                    stream(adapter, answer.result());
                } else {
                    respond(adapter, answer.result());
                }
            } catch (GatewayError e) {
                fail(e);
            } catch (RuntimeException e) {
                internalError(e);
            }
        });
    }

    /**
     * One timer per request, on the request's own event loop and without Vert.x's timer bookkeeping: first the
     * first-byte timeout (until the upstream's response head), then what is left of the total timeout.
     */
    private void schedule(long delayMs) {
        timer = context.nettyEventLoop().schedule(() -> context.runOnContext(v -> timeUp()), delayMs,
                TimeUnit.MILLISECONDS);
    }

    private void timeUp() {
        if (finished) {
            return;
        }
        long elapsedMs = (System.nanoTime() - call.startNanos()) / 1_000_000;
        int total = call.timeouts().totalMs();
        if (!call.responded() && elapsedMs < total) {
            call.abort(new GatewayError(504, GatewayError.TIMEOUT, "upstream_timeout", null, UpstreamErrors.where(call)
                    + " sent no response within " + call.timeouts().firstByteMs() + " ms (first-byte timeout).", 0,
                    true));
        } else if (elapsedMs < total) {
            schedule(total - elapsedMs);
        } else {
            call.abort(new GatewayError(504, GatewayError.TIMEOUT, "upstream_timeout", null, UpstreamErrors.where(call)
                    + " did not finish within " + total + " ms (total timeout).", 0, true));
        }
    }

    private void respond(ProviderAdapter adapter, UpstreamResponse upstream) {
        body(upstream).onComplete(read -> {
            if (read.failed()) {
                fail(upstreamFailure(read.cause()));
                return;
            }
            upstreamEndNanos = System.nanoTime();
            Buffer out;
            try {
                out = adapter.response(call, read.result());
            } catch (GatewayError e) {
                fail(e);
                return;
            }
            Pricing.Cost cost = Pricing.of(call.model(), call.usage());
            servedHeaders();
            response.setStatusCode(200).putHeader(Headers.CONTENT_TYPE, Headers.JSON);
            if (cost != null) {
                response.putHeader(Headers.COST, cost.total().stripTrailingZeros().toPlainString());
            }
            if (call.usage().estimated) {
                response.putHeader(Headers.TOKENS_ESTIMATED, "true");
            }
            response.putHeader(Headers.OVERHEAD, Headers.millis(overheadNanos()));
            response.end(out);
            finish(FinishedRequest.SUCCESS, 200, null, cost);
        });
    }

    private void stream(ProviderAdapter adapter, UpstreamResponse upstream) {
        StreamMapper mapper = adapter.stream(call);
        servedHeaders();
        response.setStatusCode(200).putHeader(Headers.CONTENT_TYPE, Headers.EVENT_STREAM)
                .putHeader("cache-control", "no-cache").putHeader("x-accel-buffering", "no").setChunked(true);
        upstreamEndNanos = System.nanoTime();
        response.putHeader(Headers.OVERHEAD, Headers.millis(overheadNanos()));
        if (upstream.live() == null) {
            Buffer out = mapper.data(upstream.body()).appendBuffer(mapper.end());
            endStream(mapper, out, null);
            return;
        }
        HttpClientResponse live = upstream.live();
        live.handler(chunk -> {
            Buffer out = mapper.data(chunk);
            if (out.length() > 0 && !response.closed()) {
                response.write(out);
                if (response.writeQueueFull()) {
                    live.pause();
                    response.drainHandler(v -> live.resume());
                }
            }
        });
        live.exceptionHandler(failure -> endStream(mapper, Buffer.buffer(), upstreamFailure(failure)));
        live.endHandler(v -> endStream(mapper, mapper.end(), null));
    }

    private void endStream(StreamMapper mapper, Buffer out, GatewayError failure) {
        if (finished) {
            return;
        }
        GatewayError error = failure;
        if (error == null && !mapper.complete()) {
            error = call.aborted() != null ? call.aborted()
                    : UpstreamErrors.malformed(call, "the stream ended before its last event");
        }
        if (error != null) {
            out.appendBuffer(OpenAiErrors.sseEvent(error));
        } else {
            error = call.streamFailure(); // its error event is already in the stream
        }
        if (!response.closed()) {
            response.end(out);
        }
        Pricing.Cost cost = Pricing.of(call.model(), call.usage());
        if (error == null) {
            finish(FinishedRequest.SUCCESS, 200, null, cost);
        } else {
            finish(error.status() == 499 ? FinishedRequest.CLIENT_CLOSED : FinishedRequest.ERROR, 200, error, cost);
        }
    }

    /** The upstream body, read whole up to {@code router.max-response-bytes}. */
    private Future<Buffer> body(UpstreamResponse upstream) {
        if (upstream.body() != null) {
            return Future.succeededFuture(upstream.body());
        }
        int limit = services.config().maxResponseBytes();
        HttpClientResponse live = upstream.live();
        Promise<Buffer> read = Promise.promise();
        Buffer body = Buffer.buffer();
        live.handler(chunk -> {
            if (body.length() + chunk.length() > limit) {
                live.handler(null);
                call.abort(UpstreamErrors.malformed(call, "the response is larger than " + limit + " bytes"));
                read.tryFail(call.aborted());
            } else {
                body.appendBuffer(chunk);
            }
        });
        live.exceptionHandler(read::tryFail);
        live.endHandler(v -> read.tryComplete(body));
        return read.future();
    }

    private GatewayError upstreamFailure(Throwable failure) {
        if (call != null && call.aborted() != null) {
            return call.aborted();
        }
        if (failure instanceof GatewayError e) {
            return e;
        }
        return UpstreamErrors.fromException(call, failure);
    }

    private void servedHeaders() {
        response.putHeader(Headers.PROVIDER, call.provider().name()).putHeader(Headers.ENDPOINT, call.endpoint().id())
                .putHeader(Headers.MODEL, call.model().id()).putHeader(Headers.ATTEMPTS, "1");
        if (call.model().upstreamModel() != null && !call.model().upstreamModel().equals(call.model().id())) {
            response.putHeader(Headers.UPSTREAM_MODEL, call.model().upstreamModel());
        }
    }

    /** Time the gateway spent on the request, not counting the upstream's part of it. */
    private long overheadNanos() {
        long now = System.nanoTime();
        long upstream = call == null || call.upstreamNanos() == 0 ? 0 : upstreamEndNanos - call.upstreamNanos();
        return Math.max(0, now - startNanos - upstream);
    }

    private void fail(GatewayError error) {
        if (finished) {
            return;
        }
        if (response.headWritten()) {
            if (!response.ended() && !response.closed()) {
                response.end(OpenAiErrors.sseEvent(error));
            }
        } else if (!response.closed()) {
            if (call != null) {
                servedHeaders();
            }
            OpenAiErrors.send(response, error);
        }
        Pricing.Cost cost = call == null ? null : Pricing.of(call.model(), call.usage());
        finish(error.status() == 499 ? FinishedRequest.CLIENT_CLOSED : FinishedRequest.ERROR, error.status(), error,
                cost);
    }

    private void internalError(RuntimeException e) {
        LOG.errorf(e, "request %s failed inside the gateway", requestId);
        fail(new GatewayError(500, GatewayError.SERVER, "internal_error", null,
                "The gateway failed to process this request (request id " + requestId + ").", 0, false));
    }

    private void finish(String status, int httpStatus, GatewayError error, Pricing.Cost cost) {
        if (finished) {
            return;
        }
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
        long end = System.nanoTime();
        boolean called = call != null;
        services.usage().record(new FinishedRequest(requestId, Instant.now(), key == null ? null : key.id(),
                operation.name().toLowerCase(java.util.Locale.ROOT), requestedModel,
                called ? call.provider().name() : null, called ? call.endpoint().id() : null,
                called ? call.model().upstreamId() : null, called ? call.stream() : streamRequested, status,
                httpStatus, error == null ? null : error.type(), error == null ? null : error.code(),
                called ? Math.max(0, call.usage().promptTokens) : 0,
                called ? Math.max(0, call.usage().completionTokens) : 0, called ? call.usage().cachedTokens : 0,
                called && call.usage().estimated, cost, called ? call.usage().reportedCost : null, called ? 1 : 0,
                (end - startNanos) / 1e6,
                called && call.firstTokenNanos() > 0 ? (call.firstTokenNanos() - startNanos) / 1e6 : null));
    }
}
