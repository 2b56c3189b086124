package io.visca.gateway.router.registry;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.visca.gateway.router.adapter.Json;

/**
 * {@code provider-changed}: the registry committed a change, so the snapshot is refetched (unless this router already
 * has that revision). Each router instance reads the topic in a consumer group of its own, so every instance hears
 * every change.
 */
@ApplicationScoped
public class ProviderChangedConsumer {

    private static final Logger LOG = Logger.getLogger(ProviderChangedConsumer.class);

    private final SnapshotHolder snapshot;

    public ProviderChangedConsumer(SnapshotHolder snapshot) {
        this.snapshot = snapshot;
    }

    @Incoming("provider-changed")
    public void changed(String event) {
        long revision;
        try {
            revision = Json.read(event).path("revision").asLong(Long.MAX_VALUE);
        } catch (Exception e) {
            LOG.warnf("unreadable provider-changed event ignored; refetching the snapshot anyway");
            revision = Long.MAX_VALUE;
        }
        if (revision > snapshot.table().revision()) {
            snapshot.refresh();
        }
    }
}
