package io.visca.gateway.router.usage;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * Hands each {@link FinishedRequest} on as a CDI event, synchronously and without blocking; observers
 * ({@link UsageEmitter}, which only queues it, and tests) must not block either. An observer that fails is logged, never the
 * request's
 * problem.
 */
@Singleton
public class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

    private final Event<FinishedRequest> finished;

    public UsageRecorder(Event<FinishedRequest> finished) {
        this.finished = finished;
    }

    public void record(FinishedRequest request) {
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
    }
}
