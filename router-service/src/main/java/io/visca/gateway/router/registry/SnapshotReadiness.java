package io.visca.gateway.router.registry;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the first registry snapshot is loaded; stays ready (serving the last one) when the registry goes away. */
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
                .withData("revision", snapshot.table().revision()).withData("models", snapshot.table().modelCount())
                .build();
    }
}
