package io.visca.gateway.snapshot;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.visca.gateway.contracts.event.Topics;

/**
 * {@code provider-changed}: the registry committed a change, so the snapshot is refetched (unless this service already
 * has that revision). Each instance of a service reads the topic in a consumer group of its own
 * ({@code mp.messaging.incoming.provider-changed.*} in its application.properties), so every instance hears every
 * change.
 */
@ApplicationScoped
public class ProviderChangedConsumer {

    private static final Logger LOG = Logger.getLogger(ProviderChangedConsumer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistrySnapshots snapshots;

    public ProviderChangedConsumer(RegistrySnapshots snapshots) {
        this.snapshots = snapshots;
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
        snapshots.changedTo(revision);
    }
}
