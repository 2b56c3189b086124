package io.visca.gateway.router.registry;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.visca.gateway.router.config.RouterConfig;
import io.visca.gateway.snapshot.RegistrySnapshots;

/**
 * Ready once the first registry snapshot is loaded and the endpoints' health has been read from
 * {@code provider-health-changed} (or, when Kafka cannot be reached, {@code router.health-events.catch-up-timeout}
 * has passed: the router then serves, and applies the health events as they come). Stays ready, serving the last
 * snapshot, when the registry or Kafka goes away later. The answer is gateway-snapshot-client's {@code registry-snapshot}
 * one, with the router's own gate and data.
 */
@Readiness
@ApplicationScoped
public class SnapshotReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(SnapshotReadiness.class);

    private final RegistrySnapshots snapshots;
    private final SnapshotHolder holder;
    private final HealthCatchUp health;
    private final long catchUpDeadline;
    private volatile boolean ready;

    public SnapshotReadiness(RegistrySnapshots snapshots, SnapshotHolder holder, HealthCatchUp health,
            RouterConfig config) {
        this.snapshots = snapshots;
        this.holder = holder;
        this.health = health;
        this.catchUpDeadline = System.nanoTime() + config.healthEvents().catchUpTimeout().toNanos();
    }

    @Override
    public HealthCheckResponse call() {
        boolean caughtUp = health.caughtUp();
        if (!ready && snapshots.loaded() && (caughtUp || System.nanoTime() > catchUpDeadline)) {
            ready = true;
            if (!caughtUp) {
                LOG.warn("serving before the endpoints' health was read from provider-health-changed (Kafka "
                        + "unreachable?): health events are applied as they arrive");
            }
        }
        return snapshots.readiness().status(ready).withData("models", holder.table().modelCount())
                .withData("health_events_read", caughtUp).build();
    }
}
