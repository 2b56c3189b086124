package io.visca.gateway.snapshot;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.visca.gateway.auth.SealedSecrets;
import io.visca.gateway.contracts.provider.RegistrySnapshot;

/**
 * What a service knows of the registry: the snapshot fetched over REST at start (retrying with backoff until the
 * registry answers), its encrypted provider secrets opened once ({@link SnapshotSecrets}), refetched on each
 * {@code provider-changed} event ({@link ProviderChangedConsumer}) and every refresh interval, and handed to the
 * service's {@link Listener}. A failed fetch keeps the last snapshot, so the service works on while the registry or
 * Kafka is down. Fetches never overlap; requests for one while one runs are folded into one more.
 * <p>
 * No CDI here: each service produces one, with its own settings and listener, and {@link SnapshotLifecycle} starts it.
 */
public class RegistrySnapshots {

    private static final Logger LOG = Logger.getLogger(RegistrySnapshots.class);

    /** What a service does with each snapshot it takes in. */
    @FunctionalInterface
    public interface Listener {
        /**
         * A snapshot at least as new as the last one, its secrets opened; {@code problems} names each provider whose
         * secrets did not open, with the problem. Throwing keeps the last snapshot (logged).
         */
        void onSnapshot(RegistrySnapshot opened, Map<String, String> problems);
    }

    private final RegistryClient registry;
    private final SnapshotSecrets secrets;
    private final Vertx vertx;
    private final SnapshotClientConfig settings;
    private final Listener listener;
    private final String authorization;
    private final AtomicBoolean fetching = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile long revision = -1;
    private volatile boolean loaded;
    private volatile boolean stopped;
    private volatile int failures;
    private long backoffMs;
    private long periodic = -1;

    /** {@code serviceToken}: bearer token of the registry's {@code /internal} API ({@code GATEWAY_SERVICE_TOKEN}). */
    public RegistrySnapshots(RegistryClient registry, SnapshotSecrets secrets, Vertx vertx, String serviceToken,
            SnapshotClientConfig settings, Listener listener) {
        this.registry = registry;
        this.secrets = secrets;
        this.vertx = vertx;
        this.settings = settings;
        this.listener = listener;
        this.authorization = "Bearer " + serviceToken;
        this.backoffMs = settings.initialBackoff().toMillis();
    }

    /** Fetches the first snapshot now, and again every refresh interval. */
    public void start() {
        refresh();
        long every = Math.max(1000, settings.refreshInterval().toMillis());
        periodic = vertx.setPeriodic(every, every, id -> {
            if (!stopped) {
                refresh();
            }
        });
    }

    /** No fetch is started after this. */
    public void stop() {
        stopped = true;
        if (periodic >= 0) {
            vertx.cancelTimer(periodic);
        }
    }

    /** The revision of the snapshot taken in last (-1 before the first). */
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

    /**
     * The {@code registry-snapshot} readiness answer: up once a snapshot is loaded (503 while loading), and staying up
     * on the last one when the registry goes away; with its revision and the fetches failed since the last good one.
     * A service may add to it, or set its own status.
     */
    public HealthCheckResponseBuilder readiness() {
        return HealthCheckResponse.named("registry-snapshot").status(loaded).withData("revision", revision)
                .withData("failed_fetches", failures);
    }

    /** A {@code provider-changed} event says the registry is at {@code changed}: fetches unless already there. */
    public void changedTo(long changed) {
        if (changed > revision) {
            refresh();
        }
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
                listener.onSnapshot(new RegistrySnapshot(snapshot.revision(), snapshot.generatedAt(),
                        opened.providers(), snapshot.apiKeys(), snapshot.routing(), snapshot.teams()), opened.problems());
                revision = snapshot.revision();
                if (changed) {
                    LOG.infof("following registry revision %d: %d providers, %d client keys", snapshot.revision(),
                            snapshot.providers().size(), snapshot.apiKeys().size());
                }
            }
            loaded = true;
            if (failures > 0) {
                LOG.infof("registry snapshot fetched again after %d failed attempts", failures);
            }
            failures = 0;
            backoffMs = settings.initialBackoff().toMillis();
        } catch (RuntimeException e) {
            LOG.errorf(e, "registry snapshot %d could not be applied; still following revision %d",
                    snapshot.revision(), revision);
        }
        done();
    }

    private void failed(Throwable failure) {
        failures++;
        if (failures == 1 || failures % 10 == 0) {
            LOG.warnf("registry snapshot fetch failed (%d in a row): %s; %s", failures, failure.toString(),
                    loaded ? "still following revision " + revision : "retrying");
        }
        long delay = backoffMs;
        backoffMs = Math.min(backoffMs * 2, settings.maxBackoff().toMillis());
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
