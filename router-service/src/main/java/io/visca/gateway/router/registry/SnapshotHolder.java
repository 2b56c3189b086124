package io.visca.gateway.router.registry;

import java.util.Map;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.visca.gateway.contracts.provider.RegistrySnapshot;
import io.visca.gateway.router.adapter.Adapters;
import io.visca.gateway.router.routing.LiveState;
import io.visca.gateway.router.routing.RoutingTable;
import io.visca.gateway.snapshot.RegistrySnapshots;

/**
 * The router's copy of the registry as a {@link RoutingTable}, rebuilt from each snapshot its
 * {@code RegistrySnapshots} (gateway-snapshot-client) takes in. A failed fetch keeps the last table, so the router
 * serves on while the registry or Kafka is down.
 */
@Singleton
public class SnapshotHolder implements RegistrySnapshots.Listener {

    private static final Logger LOG = Logger.getLogger(SnapshotHolder.class);

    private final Adapters adapters;
    private final LiveState live;
    private volatile RoutingTable table = RoutingTable.EMPTY;

    public SnapshotHolder(Adapters adapters, LiveState live) {
        this.adapters = adapters;
        this.live = live;
    }

    /** The table requests are served from now. */
    public RoutingTable table() {
        return table;
    }

    @Override
    public void onSnapshot(RegistrySnapshot opened, Map<String, String> problems) {
        RoutingTable next = RoutingTable.from(opened, problems, adapters, live);
        if (next.revision() != table.revision()) {
            LOG.infof("serving registry revision %d: %d models", next.revision(), next.modelCount());
        }
        table = next;
    }
}
