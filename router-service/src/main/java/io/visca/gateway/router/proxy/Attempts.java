package io.visca.gateway.router.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.ContextInternal;
import io.visca.gateway.contracts.event.UsageRecorded;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamErrors;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.routing.EndpointState;
import io.visca.gateway.router.routing.ModelRoute;
import io.visca.gateway.router.routing.ProviderRuntime;
import io.visca.gateway.router.routing.RoutingPlan;

/**
 * The attempts of one request until one gets a good response head: the plan's candidates in order (only the first
 * with fallback off), each through its provider's guard (retries, requests-per-minute limit), each try on the next
 * endpoint by weight through that endpoint's circuit breaker. A client error ends it at once. Each attempt has its
 * own first-byte timeout; the one that answered keeps its total timeout for the rest of the response. Runs on the
 * request's event loop.
 */
final class Attempts {

    private static final Logger LOG = Logger.getLogger(Attempts.class);

    private final ProxyServices services;
    private final String requestId;
    private final Operation operation;
    private final ObjectNode body;
    private final Buffer raw;
    private final RoutingPlan plan;
    private final ContextInternal context;
    private final List<UsageRecorded.Attempt> log = new ArrayList<>(2);
    private final Promise<UpstreamResponse> outcome = Promise.promise();
    private UpstreamCall current;
    private ProviderRuntime currentProvider;
    private EndpointState currentEndpoint;
    private ScheduledFuture<?> timer;
    private GatewayError stopped;
    private boolean holding;
    /** Every endpoint went DOWN between the plan and an attempt, and this request failed open then. */
    private boolean failedOpenLate;

    Attempts(ProxyServices services, String requestId, Operation operation, ObjectNode body, Buffer raw,
            RoutingPlan plan) {
        this.services = services;
        this.requestId = requestId;
        this.operation = operation;
        this.body = body;
        this.raw = raw;
        this.plan = plan;
        this.context = (ContextInternal) services.vertx().getOrCreateContext();
    }

    /** The good response head of the attempt that served, or the error to answer with. */
    Future<UpstreamResponse> run() {
        candidate(0, null);
        return outcome.future();
    }

    /** The attempt in progress or the one that served; null before the first. */
    UpstreamCall current() {
        return current;
    }

    /** The plan's {@code x-visca-skipped}: providers left out before any attempt, and why; null when none were. */
    String skipped() {
        return plan.skippedHeader();
    }

    /** Whether the request fails open: no candidate had a healthy endpoint ({@code x-visca-health: fail-open}). */
    boolean failOpen() {
        return plan.failOpen() || failedOpenLate;
    }

    List<UsageRecorded.Attempt> log() {
        return log;
    }

    /** The client left: the attempt in flight is cancelled and no other starts. */
    void abort(GatewayError reason) {
        stopped = reason;
        if (current != null) {
            current.abort(reason);
        }
    }

    /** The request is over: its slot on the provider and endpoint is freed, its timer cancelled. */
    void release() {
        if (timer != null) {
            timer.cancel(false);
        }
        releaseSlot();
    }

    private void candidate(int index, GatewayError last) {
        List<ModelRoute> candidates = plan.candidates();
        if (stopped != null || index >= candidates.size() || (index > 0 && !plan.fallback())) {
            outcome.tryFail(stopped != null ? stopped : last);
            return;
        }
        ModelRoute route = candidates.get(index);
        ProviderRuntime provider = route.provider();
        services.credentials().headers(provider.config(), provider.secretsProblem()).onComplete(credentials -> {
            if (credentials.failed()) {
                GatewayError error = credentials.cause() instanceof GatewayError e ? e
                        : new GatewayError(Failure.CREDENTIALS_UNAVAILABLE, "Provider '" + provider.name()
                                + "': its credentials could not be prepared.");
                log.add(new UsageRecorded.Attempt(provider.name(), null, route.model().id(), 0, error.code(), 0));
                candidate(index + 1, error);
                return;
            }
            Future<UpstreamResponse> tried;
            try {
                Integer perMinute = provider.config().rateLimit() == null ? null
                        : provider.config().rateLimit().requestsPerMinute();
                tried = provider.state().guard().get(() -> perMinute == null ? onEndpoint(route, credentials.result())
                        : services.providerRates().slot(provider.name(), perMinute)
                                .compose(slot -> onEndpoint(route, credentials.result())));
            } catch (RuntimeException e) {
                tried = Future.failedFuture(e);
            }
            tried.onComplete(result -> {
                if (result.succeeded()) {
                    outcome.tryComplete(result.result());
                    return;
                }
                GatewayError error = asError(provider, result.cause());
                if (error.failure() == Failure.PROVIDER_RATE_LIMITED) {
                    log.add(new UsageRecorded.Attempt(provider.name(), null, route.model().id(), 0, error.code(), 0));
                }
                // the next candidate may do better unless the failure is final (Failure.Next)
                if (error.failure().movesOn()) {
                    candidate(index + 1, error);
                } else {
                    outcome.tryFail(error);
                }
            });
        });
    }

    private boolean noCandidateHealthy() {
        long now = System.nanoTime();
        for (ModelRoute candidate : plan.candidates()) {
            if (candidate.provider().anyEndpointAvailable(now, false)) {
                return false;
            }
        }
        return true;
    }

    /** One try: the next available endpoint of the provider, through its circuit breaker. */
    private Future<UpstreamResponse> onEndpoint(ModelRoute route, MultiMap credentials) {
        if (stopped != null) {
            return Future.failedFuture(stopped);
        }
        ProviderRuntime provider = route.provider();
        int next = provider.nextEndpoint(failOpen());
        if (next < 0 && !failOpen() && noCandidateHealthy()
                && services.planner().failOpenLate(route.model().id(), provider.name())) {
            // the last endpoints went DOWN between the plan and this attempt: as the planner would now, fail open
            failedOpenLate = true;
            next = provider.nextEndpoint(true);
        }
        int index = next;
        if (index < 0) {
            return Future.failedFuture(new GatewayError(Failure.NO_AVAILABLE_ENDPOINT,
                    "Provider '" + provider.name() + "' has no healthy endpoint left."));
        }
        EndpointState endpoint = provider.endpointState(index);
        try {
            return endpoint.breaker().get(() -> send(route, index, endpoint, credentials));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private Future<UpstreamResponse> send(ModelRoute route, int index, EndpointState endpoint, MultiMap credentials) {
        releaseSlot();
        ProviderRuntime provider = route.provider();
        UpstreamCall call = new UpstreamCall(requestId, operation, body, raw, provider, route.model(), provider.endpoint(index),
                credentials, services.http());
        current = call;
        currentProvider = provider;
        currentEndpoint = endpoint;
        holding = true;
        provider.state().inFlight().incrementAndGet();
        endpoint.inFlight().incrementAndGet();
        if (timer != null) {
            timer.cancel(false);
        }
        schedule(call, Math.min(call.timeouts().firstByteMs(), call.timeouts().totalMs()));
        Future<UpstreamResponse> sent;
        try {
            sent = provider.adapter().send(call);
        } catch (GatewayError e) {
            sent = Future.failedFuture(e);
        } catch (RuntimeException e) {
            // the adapter failed to build the request: a gateway bug, not the upstream's failure (nothing was sent)
            LOG.errorf(e, "request %s: provider '%s': the upstream request could not be built", requestId,
                    provider.name());
            sent = Future.failedFuture(new GatewayError(Failure.INTERNAL_ERROR,
                    "The gateway failed to build the request to provider '" + provider.name() + "' (request id "
                            + requestId + ")."));
        }
        return sent.compose(response -> {
            double latencyMs = (System.nanoTime() - call.startNanos()) / 1e6;
            if (response.ok()) {
                if (response.live() != null) {
                    // the guards hand the result on later than this tick: hold the body until a reader is attached
                    response.live().pause();
                }
                endpoint.observeLatency(latencyMs);
                log.add(new UsageRecorded.Attempt(provider.name(), call.endpoint().id(), route.model().id(),
                        response.status(), null, latencyMs));
                return Future.succeededFuture(response);
            }
            return readBody(call, response, services.config().maxResponseBytes()).transform(read -> {
                GatewayError error = read.failed() ? failure(call, read.cause())
                        : provider.adapter().error(call, response, read.result());
                return Future.failedFuture(attemptFailed(provider, call, response.status(), error));
            });
        }, failure -> Future.failedFuture(attemptFailed(provider, call, 0, failure(call, failure))));
    }

    private GatewayError attemptFailed(ProviderRuntime provider, UpstreamCall call, int status, GatewayError error) {
        if (status == 401 || status == 403) {
            services.credentials().rejected(provider.config());
        }
        if (error.failure().next() == Failure.Next.RATE_LIMITED) {
            provider.state().pause(error.retryAfterSeconds());
        }
        log.add(new UsageRecorded.Attempt(call.provider().name(), call.endpoint().id(), call.model().id(), status,
                error.code(), (System.nanoTime() - call.startNanos()) / 1e6));
        releaseSlot();
        return error;
    }

    private void releaseSlot() {
        if (holding) {
            holding = false;
            currentProvider.state().inFlight().decrementAndGet();
            currentEndpoint.inFlight().decrementAndGet();
        }
    }

    private GatewayError asError(ProviderRuntime provider, Throwable failure) {
        if (failure instanceof GatewayError error) {
            return error;
        }
        if (failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException) {
            return new GatewayError(Failure.CIRCUIT_OPEN, "Provider '" + provider.name()
                    + "': the endpoint's circuit breaker is open after consecutive failures.");
        }
        return current == null ? new GatewayError(Failure.UPSTREAM_ERROR, "Provider '" + provider.name() + "' failed"
                + (provider.exposeUpstreamDetails() ? ": " + failure.getClass().getSimpleName() : ""))
                : failure(current, failure);
    }

    private static GatewayError failure(UpstreamCall call, Throwable failure) {
        if (call.aborted() != null) {
            return call.aborted();
        }
        return failure instanceof GatewayError e ? e : UpstreamErrors.fromException(call, failure);
    }

    /**
     * One timer per attempt, on the request's own event loop and without Vert.x's timer bookkeeping: first the
     * first-byte timeout (until the upstream's response head), then what is left of the total timeout.
     */
    private void schedule(UpstreamCall call, long delayMs) {
        timer = context.nettyEventLoop().schedule(() -> context.runOnContext(v -> timeUp(call)), delayMs,
                TimeUnit.MILLISECONDS);
    }

    private void timeUp(UpstreamCall call) {
        if (call != current || outcome.future().failed()) {
            return;
        }
        long elapsedMs = (System.nanoTime() - call.startNanos()) / 1_000_000;
        int total = call.timeouts().totalMs();
        if (!call.responded() && elapsedMs < total) {
            call.abort(new GatewayError(Failure.UPSTREAM_TIMEOUT, UpstreamErrors.where(call)
                    + " sent no response within " + call.timeouts().firstByteMs() + " ms (first-byte timeout)."));
        } else if (elapsedMs < total) {
            schedule(call, total - elapsedMs);
        } else {
            call.abort(new GatewayError(Failure.UPSTREAM_TIMEOUT, UpstreamErrors.where(call)
                    + " did not finish within " + total + " ms (total timeout)."));
        }
    }

    /** The upstream body, read whole up to {@code limit} bytes (a paused response is resumed). */
    static Future<Buffer> readBody(UpstreamCall call, UpstreamResponse upstream, int limit) {
        return upstream.readBody(call, limit);
    }
}
