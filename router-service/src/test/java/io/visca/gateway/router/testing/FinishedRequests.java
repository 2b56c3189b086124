package io.visca.gateway.router.testing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.visca.gateway.router.usage.FinishedRequest;

/** Keeps what the router recorded about each finished request, by request id, so tests can check it. */
@ApplicationScoped
public class FinishedRequests {

    private static final Map<String, FinishedRequest> BY_ID = new ConcurrentHashMap<>();

    void on(@Observes FinishedRequest request) {
        BY_ID.put(request.requestId(), request);
    }

    /** The record of {@code requestId}, waiting briefly: a stream's record is made after its last byte is sent. */
    public static FinishedRequest get(String requestId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            FinishedRequest found = BY_ID.get(requestId);
            if (found != null) {
                return found;
            }
            RouterApi.sleep(10);
        }
        throw new AssertionError("no finished request recorded for " + requestId);
    }
}
