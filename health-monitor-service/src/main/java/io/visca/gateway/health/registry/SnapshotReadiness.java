package io.visca.gateway.health.registry;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the first registry snapshot is loaded; stays ready (probing from the last one) when the registry goes
 * away, and says how many fetches failed since the last good one.
 */
@Readiness
@ApplicationScoped
public class SnapshotReadiness implements HealthCheck {

    private final SnapshotHolder snapshot;

    public SnapshotReadiness(SnapshotHolder snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("registry-snapshot").status(snapshot.loaded())
                .withData("revision", snapshot.revision()).withData("failed_fetches", snapshot.failures()).build();
    }
}
