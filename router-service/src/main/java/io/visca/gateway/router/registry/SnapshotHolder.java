package io.visca.gateway.router.registry;

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
import io.visca.gateway.router.adapter.Adapters;
import io.visca.gateway.router.config.RouterConfig;
import io.visca.gateway.router.routing.LiveState;
import io.visca.gateway.router.routing.RoutingTable;

/**
 * The router's copy of the registry: fetched over REST at start (retrying with backoff until the registry answers),
 * its encrypted provider secrets opened once ({@link SnapshotSecrets}),
 * refetched on each {@code provider-changed} event and every {@code router.registry.refresh-interval}. A failed
 * fetch keeps the last table, so the router serves on while the registry or Kafka is down. Fetches never overlap;
 * requests for one while one runs are folded into one more.
 */
@Singleton
public class SnapshotHolder {

    private static final Logger LOG = Logger.getLogger(SnapshotHolder.class);

    private final RegistryClient registry;
    private final SnapshotSecrets secrets;
    private final Adapters adapters;
    private final RouterConfig config;
    private final Vertx vertx;
    private final LiveState live;
    private final String authorization;
    private final AtomicBoolean fetching = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile RoutingTable table = RoutingTable.EMPTY;
    private volatile boolean loaded;
    private volatile boolean stopped;
    private long backoffMs;
    private int failures;

    @Inject
    public SnapshotHolder(@RestClient RegistryClient registry, SnapshotSecrets secrets, Adapters adapters,
            RouterConfig config, Vertx vertx, LiveState live) {
        this.registry = registry;
        this.secrets = secrets;
        this.live = live;
        this.adapters = adapters;
        this.config = config;
        this.vertx = vertx;
        this.authorization = "Bearer " + config.registry().serviceToken();
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

    /** The table requests are served from now. */
    public RoutingTable table() {
        return table;
    }

    /** Whether a snapshot has been loaded since start (readiness). */
    public boolean loaded() {
        return loaded;
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
            if (!loaded || snapshot.revision() >= table.revision()) {
                SealedSecrets.OpenedProviders opened = secrets.open(snapshot.providers());
                RoutingTable next = RoutingTable.from(new RegistrySnapshot(snapshot.revision(),
                        snapshot.generatedAt(), opened.providers(), snapshot.apiKeys(), snapshot.routing()),
                        opened.problems(), adapters, live);
                boolean changed = next.revision() != table.revision() || !loaded;
                table = next;
                if (changed) {
                    LOG.infof("serving registry revision %d: %d providers, %d models, %d client keys",
                            snapshot.revision(), snapshot.providers().size(), next.modelCount(),
                            snapshot.apiKeys().size());
                }
            }
            loaded = true;
            failures = 0;
            backoffMs = config.registry().initialBackoff().toMillis();
        } catch (RuntimeException e) {
            LOG.errorf(e, "registry snapshot %d could not be applied; still serving revision %d",
                    snapshot.revision(), table.revision());
        }
        done();
    }

    private void failed(Throwable failure) {
        failures++;
        if (failures == 1 || failures % 10 == 0) {
            LOG.warnf("registry snapshot fetch failed (%d in a row): %s; %s", failures, failure.toString(),
                    loaded ? "still serving revision " + table.revision() : "retrying");
        }
        long delay = backoffMs;
        backoffMs = Math.min(backoffMs * 2, config.registry().maxBackoff().toMillis());
        fetching.set(false);
        if (!stopped) {
            vertx.setTimer(delay, id -> refresh());
        }
    }

    private void done() {
        fetching.set(false);
        if (again.getAndSet(false) && !stopped) {
            refresh();
        }
    }
}
