package io.visca.gateway.health.registry;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.visca.gateway.contracts.event.Topics;

/**
 * {@code provider-changed}: the registry committed a change, so the snapshot is refetched (unless the monitor already
 * probes that revision). Each monitor instance reads the topic in a consumer group of its own, so every instance
 * hears every change.
 */
@ApplicationScoped
public class ProviderChangedConsumer {

    private static final Logger LOG = Logger.getLogger(ProviderChangedConsumer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnapshotHolder snapshot;

    public ProviderChangedConsumer(SnapshotHolder snapshot) {
        this.snapshot = snapshot;
    }

    @Incoming(Topics.PROVIDER_CHANGED)
    public void changed(String event) {
        long revision;
        try {
            revision = JSON.readTree(event).path("revision").asLong(Long.MAX_VALUE);
        } catch (Exception e) {
            LOG.warnf("unreadable provider-changed event ignored; refetching the snapshot anyway");
            revision = Long.MAX_VALUE;
        }
        if (revision > snapshot.revision()) {
            snapshot.refresh();
        }
    }
}
