package io.visca.gateway.snapshot;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the service's {@link RegistrySnapshots} (which the service produces, so it cannot observe events itself) when
 * the service starts, and stops its fetching when it shuts down.
 */
@Singleton
public class SnapshotLifecycle {

    private final RegistrySnapshots snapshots;

    SnapshotLifecycle(RegistrySnapshots snapshots) {
        this.snapshots = snapshots;
    }

    void start(@Observes StartupEvent event) {
        snapshots.start();
    }

    void stop(@Observes ShutdownEvent event) {
        snapshots.stop();
    }
}
