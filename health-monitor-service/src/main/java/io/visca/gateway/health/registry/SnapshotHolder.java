package io.visca.gateway.health.registry;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.visca.gateway.auth.SealedSecrets;
import io.visca.gateway.contracts.provider.RegistrySnapshot;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.health.probe.ProbeScheduler;

/**
 * What the monitor knows of the registry: the snapshot fetched over REST at start (retrying with backoff until the
 * registry answers), its encrypted provider secrets opened once ({@link SnapshotSecrets}), refetched on each
 * {@code provider-changed} event and every
 * {@code health.registry.refresh-interval}, and handed to the {@link ProbeScheduler}. A failed fetch keeps the last
 * snapshot, so probing goes on while the registry or Kafka is down. Fetches never overlap; requests for one while
 * one runs are folded into one more.
 */
@Singleton
public class SnapshotHolder {

    private static final Logger LOG = Logger.getLogger(SnapshotHolder.class);

    private final RegistryClient registry;
    private final SnapshotSecrets secrets;
    private final ProbeScheduler scheduler;
    private final HealthConfig config;
    private final Vertx vertx;
    private final String authorization;
    private final AtomicBoolean fetching = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile long revision = -1;
    private volatile boolean loaded;
    private volatile boolean stopped;
    private volatile int failures;
    private long backoffMs;

    @Inject
    public SnapshotHolder(@RestClient RegistryClient registry, SnapshotSecrets secrets, ProbeScheduler scheduler,
            HealthConfig config, Vertx vertx) {
        this.registry = registry;
        this.secrets = secrets;
        this.scheduler = scheduler;
        this.config = config;
        this.vertx = vertx;
        this.authorization = "Bearer " + config.serviceToken();
        this.backoffMs = config.registry().initialBackoff().toMillis();
    }

    void start(@Observes StartupEvent event) {
        refresh();
        long every = Math.max(1000, config.registry().refreshInterval().toMillis());
        vertx.setPeriodic(every, every, id -> {
            if (!stopped) {
                refresh();
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /** The revision of the snapshot probed now (-1 before the first). */
    public long revision() {
        return revision;
    }

    /** Whether a snapshot has been loaded since start (readiness). */
    public boolean loaded() {
        return loaded;
    }

    /** Failed fetches since the last one that succeeded. */
    public int failures() {
        return failures;
    }

    /** Fetches the snapshot soon; a fetch already running is followed by one more. */
    public void refresh() {
        if (!fetching.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        registry.snapshot(authorization).subscribe().with(this::apply, this::failed);
    }

    private void apply(RegistrySnapshot snapshot) {
        try {
            if (!loaded || snapshot.revision() >= revision) {
                boolean changed = !loaded || snapshot.revision() != revision;
                SealedSecrets.OpenedProviders opened = secrets.open(snapshot.providers());
                scheduler.apply(opened.providers(), opened.problems());
                revision = snapshot.revision();
                if (changed) {
                    LOG.infof("following registry revision %d: %d providers", snapshot.revision(),
                            snapshot.providers().size());
                }
            }
            loaded = true;
            if (failures > 0) {
                LOG.infof("registry snapshot fetched again after %d failed attempts", failures);
            }
            failures = 0;
            backoffMs = config.registry().initialBackoff().toMillis();
        } catch (RuntimeException e) {
            LOG.errorf(e, "registry snapshot %d could not be applied; still probing revision %d", snapshot.revision(),
                    revision);
        }
        done();
    }

    private void failed(Throwable failure) {
        failures++;
        if (failures == 1 || failures % 10 == 0) {
            LOG.warnf("registry snapshot fetch failed (%d in a row): %s; %s", failures, failure.toString(),
                    loaded ? "still probing revision " + revision : "retrying");
        }
        long delay = backoffMs;
        backoffMs = Math.min(backoffMs * 2, config.registry().maxBackoff().toMillis());
        fetching.set(false);
        if (!stopped) {
            vertx.setTimer(Math.max(1, delay), id -> refresh());
        }
    }

    private void done() {
        fetching.set(false);
        if (again.getAndSet(false) && !stopped) {
            refresh();
        }
    }
}
