package io.visca.gateway.router.proxy;

import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.visca.gateway.contracts.provider.GatewayKey;
import io.visca.gateway.contracts.provider.GatewayTeam;
import io.visca.gateway.contracts.routing.RoutingPolicy;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.ProviderAdapter;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamErrors;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.error.OpenAiErrors;
import io.visca.gateway.router.quota.Admission;
import io.visca.gateway.router.routing.RequestRouting;
import io.visca.gateway.router.routing.RoutingPlan;
import io.visca.gateway.router.routing.RoutingTable;
import io.visca.gateway.router.usage.EventIds;
import io.visca.gateway.router.usage.FinishedRequest;
import io.visca.gateway.router.usage.Pricing;

/**
 * One /v1 request from arrival to its last byte: authenticate, read and parse the body once, resolve the model, call
 * the upstream through its adapter, and answer (JSON or a piped SSE stream with back-pressure), recording what it
 * cost before the answer's last bytes. Runs on the request's event loop and never blocks it.
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
    private GatewayTeam team;
    /** What the request holds of its key's and team's limits; settled once when it ends. */
    private Admission admission = Admission.NONE;
    private String requestedModel;
    private boolean streamRequested;
    private UpstreamCall call;
    private Attempts attempts;
    private String strategy;
    private long upstreamEndNanos;
    private long overheadNanos = -1;
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
        Governance.checkModel(key, requestedModel);
        RoutingPolicy asked = RequestRouting.parse(body.get("routing"), table);
        boolean rewritten = body.remove("routing") != null; // the gateway's own field: no upstream would accept it
        RoutingPolicy policy = RequestRouting.effective(asked, requestedModel, table.policies());
        strategy = policy.strategy();
        RoutingPlan plan = services.planner().plan(table, operation, body, requestedModel, policy, key.models());
        team = table.team(key.team());
        rewritten |= Governance.capCompletion(services, key, team, operation, body, plan);
        Future<Admission> admitted = Governance.admit(services, key, team, operation, body, raw.length(), plan);
        Buffer upstreamBody = rewritten ? Json.write(body) : raw;
        if (admitted.succeeded()) {
            send(body, upstreamBody, plan, admitted.result());
            return;
        }
        admitted.onComplete(admission -> {
            try {
                if (admission.failed()) {
                    fail(admission.cause() instanceof GatewayError e ? e
                            : GatewayError.routingFailed(500,
                                    "The gateway failed to process this request (request id " + requestId + ")."));
                } else if (response.closed()) {
                    this.admission = admission.result();
                    fail(new GatewayError(Failure.CLIENT_CLOSED, "The client closed the connection."));
                } else {
                    send(body, upstreamBody, plan, admission.result());
                }
            } catch (GatewayError e) {
                fail(e);
            } catch (RuntimeException e) {
                internalError(e);
            }
        });
    }

    /** Calls the plan's candidates in turn with the admitted request and answers with what comes back. */
    private void send(ObjectNode body, Buffer raw, RoutingPlan plan, Admission admission) {
        this.admission = admission;
        attempts = new Attempts(services, requestId, operation, body, raw, plan);
        response.closeHandler(v -> {
            if (!finished) {
                attempts.abort(new GatewayError(Failure.CLIENT_CLOSED, "The client closed the connection."));
            }
        });
        attempts.run().onComplete(answer -> {
            call = attempts.current();
            try {
                if (answer.failed()) {
                    fail(answer.cause() instanceof GatewayError e ? e : upstreamFailure(answer.cause()));
                } else if (call.stream() && operation != Operation.EMBEDDINGS) {
                    stream(call.provider().adapter(), answer.result());
                } else {
                    respond(call.provider().adapter(), answer.result());
                }
            } catch (GatewayError e) {
                fail(e);
            } catch (RuntimeException e) {
                internalError(e);
            }
        });
    }

    private void respond(ProviderAdapter adapter, UpstreamResponse upstream) {
        Attempts.readBody(call, upstream, services.config().maxResponseBytes()).onComplete(read -> {
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
            overheadNanos = overheadNanos();
            response.putHeader(Headers.OVERHEAD, Headers.millis(overheadNanos));
            finish(FinishedRequest.SUCCESS, 200, null, cost).onComplete(recorded -> end(out));
        });
    }

    private void stream(ProviderAdapter adapter, UpstreamResponse upstream) {
        StreamMapper mapper = adapter.stream(call);
        servedHeaders();
        response.setStatusCode(200).putHeader(Headers.CONTENT_TYPE, Headers.EVENT_STREAM)
                .putHeader("cache-control", "no-cache").putHeader("x-accel-buffering", "no").setChunked(true);
        upstreamEndNanos = System.nanoTime();
        overheadNanos = overheadNanos();
        response.putHeader(Headers.OVERHEAD, Headers.millis(overheadNanos));
        if (upstream.live() == null) {
            Buffer out = mapper.data(upstream.body()).appendBuffer(mapper.end());
            endStream(mapper, out, null);
            return;
        }
        HttpClientResponse live = upstream.live();
        live.handler(chunk -> {
            Buffer out = mapper.data(chunk);
            if (out.length() > 0 && !finished && !response.closed()) {
                response.write(out);
                if (response.writeQueueFull()) {
                    live.pause();
                    response.drainHandler(v -> live.resume());
                }
            }
        });
        live.exceptionHandler(failure -> endStream(mapper, Buffer.buffer(), upstreamFailure(failure)));
        live.endHandler(v -> endStream(mapper, mapper.end(), null));
        live.resume();
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
        Pricing.Cost cost = Pricing.of(call.model(), call.usage());
        Future<Void> recorded;
        if (error == null) {
            recorded = finish(FinishedRequest.SUCCESS, 200, null, cost);
        } else {
            recorded = finish(error.status() == 499 ? FinishedRequest.CLIENT_CLOSED : FinishedRequest.ERROR, 200,
                    error, cost);
        }
        recorded.onComplete(written -> end(out));
    }

    /** The answer's last bytes, once its usage event is in the spool. */
    private void end(Buffer out) {
        if (!response.ended() && !response.closed()) {
            response.end(out);
        }
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

    /** OpenAI's {@code x-ratelimit-*} headers on every answer of a key (or team) with rate limits. */
    private void limitHeaders() {
        if (key != null && !response.headWritten()) {
            services.quotas().rateHeaders(key, team, response);
        }
    }

    private void servedHeaders() {
        limitHeaders();
        response.putHeader(Headers.PROVIDER, call.provider().name()).putHeader(Headers.ENDPOINT,
                call.provider().endpointLabel(call.endpoint()))
                .putHeader(Headers.MODEL, call.model().id())
                .putHeader(Headers.ATTEMPTS, Integer.toString(attempts.log().size()))
                .putHeader(Headers.STRATEGY, strategy);
        if (attempts.failOpen()) {
            response.putHeader(Headers.HEALTH, Headers.FAIL_OPEN);
        }
        if (attempts.skipped() != null) {
            response.putHeader(Headers.SKIPPED, attempts.skipped());
        }
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
        Pricing.Cost cost = call == null ? null : Pricing.of(call.model(), call.usage());
        finish(error.status() == 499 ? FinishedRequest.CLIENT_CLOSED : FinishedRequest.ERROR, error.status(), error,
                cost).onComplete(recorded -> {
                    if (response.headWritten()) {
                        end(OpenAiErrors.sseEvent(error));
                    } else if (!response.closed()) {
                        if (call != null) {
                            servedHeaders();
                        } else {
                            limitHeaders();
                        }
                        OpenAiErrors.send(response, error);
                    }
                });
    }

    private void internalError(RuntimeException e) {
        LOG.errorf(e, "request %s failed inside the gateway", requestId);
        fail(new GatewayError(Failure.INTERNAL_ERROR,
                "The gateway failed to process this request (request id " + requestId + ")."));
    }

    /**
     * Records the request's usage; @return completes when its event is in the spool file, and only then may the
     * answer's last bytes go out (a client never holds an answer billing could lose to a killed router).
     */
    private Future<Void> finish(String status, int httpStatus, GatewayError error, Pricing.Cost cost) {
        if (finished) {
            return Future.succeededFuture();
        }
        finished = true;
        if (attempts != null) {
            attempts.release();
        }
        long end = System.nanoTime();
        boolean called = call != null;
        List<String> leases = admission.leaseIds();
        admission.settle(cost == null ? null : cost.total(),
                called ? Math.max(0, call.usage().promptTokens) + Math.max(0, call.usage().completionTokens) : 0);
        return services.usage()
                .record(new FinishedRequest(EventIds.next(), requestId, Instant.now(), key == null ? null : key.id(),
                        operation.name().toLowerCase(java.util.Locale.ROOT), requestedModel,
                        called ? call.provider().name() : null, called ? call.endpoint().id() : null,
                        called ? call.model().id() : null, called ? call.model().upstreamId() : null,
                        called ? call.stream() : streamRequested, status,
                        httpStatus, error == null ? null : error.type(), error == null ? null : error.code(),
                        called ? Math.max(0, call.usage().promptTokens) : 0,
                        called ? Math.max(0, call.usage().completionTokens) : 0, called ? call.usage().cachedTokens : 0,
                        called && call.usage().estimated, cost, called ? call.usage().reportedCost : null, strategy,
                        attempts == null ? List.of() : List.copyOf(attempts.log()),
                        (end - startNanos) / 1e6,
                        called && call.firstTokenNanos() > 0 ? (call.firstTokenNanos() - startNanos) / 1e6 : null,
                        overheadNanos >= 0 && call.upstreamNanos() > 0 ? (upstreamEndNanos - call.upstreamNanos()) / 1e6 : null,
                        overheadNanos >= 0 ? overheadNanos / 1e6 : null, key == null ? null : key.team(), leases));
    }
}
