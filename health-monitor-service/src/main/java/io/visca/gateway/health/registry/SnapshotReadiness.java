package io.visca.gateway.health.registry;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.visca.gateway.snapshot.RegistrySnapshots;

/**
 * Ready once the first registry snapshot is loaded; stays ready (probing from the last one) when the registry goes
 * away, and says how many fetches failed since the last good one.
 */
@Readiness
@ApplicationScoped
public class SnapshotReadiness implements HealthCheck {

    private final RegistrySnapshots snapshots;

    public SnapshotReadiness(RegistrySnapshots snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public HealthCheckResponse call() {
        return snapshots.readiness().build();
    }
}
