package io.visca.gateway.router.usage;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.vertx.core.Future;

/**
 * Hands each {@link FinishedRequest} to the {@link UsageEmitter} and, as a CDI event, to observers (tests); neither
 * blocks. The caller sends the request's last bytes once the returned future completes: the usage event is then in
 * the spool file. An observer that fails is logged, never the request's problem.
 */
@Singleton
public class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

    private final Event<FinishedRequest> finished;
    private final UsageEmitter emitter;

    public UsageRecorder(Event<FinishedRequest> finished, UsageEmitter emitter) {
        this.finished = finished;
        this.emitter = emitter;
    }

    /** Records the request; @return completes (on the caller's event loop) when the answer may be finished. */
    public Future<Void> record(FinishedRequest request) {
        try {
            finished.fire(request);
        } catch (RuntimeException e) {
            LOG.errorf(e, "recording request %s failed", request.requestId());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf("finished %s %s %s via %s/%s: %s %d, %d+%d tokens%s, %.3f ms", request.requestId(),
                    request.operation(), request.requestedModel(), request.provider(), request.endpoint(),
                    request.status(), request.httpStatus(), request.promptTokens(), request.completionTokens(),
                    request.tokensEstimated() ? " (estimated)" : "", request.latencyMs());
        }
        try {
            return emitter.submit(request);
        } catch (RuntimeException e) {
            LOG.errorf(e, "usage event of request %s cannot be handed over", request.requestId());
            return Future.succeededFuture();
        }
    }
}
