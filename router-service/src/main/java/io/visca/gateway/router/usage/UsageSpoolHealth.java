package io.visca.gateway.router.usage;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * How deep the usage spool is and whether Kafka takes the events. Always UP: the router keeps serving while Kafka is
 * away (the events wait on disk); the numbers are for whoever looks.
 */
@Readiness
@ApplicationScoped
public class UsageSpoolHealth implements HealthCheck {

    private final UsageEmitter emitter;

    public UsageSpoolHealth(UsageEmitter emitter) {
        this.emitter = emitter;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("usage-spool").up();
        UsageSpool spool = emitter.spool();
        UsageSender sender = emitter.sender();
        if (spool == null || sender == null) {
            return response.withData("state", "starting").build();
        }
        Instant failingSince = sender.failingSince();
        return response.withData("pending_events", spool.pendingEvents())
                .withData("pending_bytes", spool.pendingBytes()).withData("size_bytes", spool.sizeBytes())
                .withData("max_bytes", spool.maxBytes()).withData("dropped_events", emitter.dropped())
                .withData("kafka", failingSince == null ? "sending" : "unreachable since " + failingSince).build();
    }
}
