package io.visca.gateway.registry.outbox;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.event.ProviderChanged;
import io.visca.gateway.contracts.event.Topics;

/**
 * Records a change inside the caller's transaction: takes the next registry revision (locking the state row) and
 * writes the {@code provider-changed} event into the outbox. {@link OutboxRelay} publishes it after the commit.
 */
@ApplicationScoped
public class ChangeLog {

    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String ENABLED = "enabled";
    public static final String DISABLED = "disabled";
    public static final String DELETED = "deleted";
    public static final String API_KEYS_CHANGED = "api_keys_changed";
    public static final String ROUTING_CHANGED = "routing_changed";
    /** The models a provider discovered from its endpoints changed (key: the provider name). */
    public static final String MODELS_DISCOVERED = "models_discovered";

    private final OutboxRepository outbox;
    private final ObjectMapper json;

    ChangeLog(OutboxRepository outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    /**
     * Locks the registry revision for the rest of this transaction and returns the revision a change will have if
     * it is {@link #record recorded}; a transaction that records nothing leaves the revision as it was.
     */
    public Uni<Long> begin() {
        return outbox.lockRevision().map(current -> current + 1);
    }

    /**
     * Writes the event of a change that {@link #begin()} gave {@code revision}.
     *
     * @param key the provider name, {@link ProviderChanged#API_KEYS_KEY} for client key changes, or
     *        {@link ProviderChanged#ROUTING_KEY} for changes of the default routing policies
     */
    public Uni<Void> record(String key, String change, long revision) {
        ProviderChanged event = ProviderChanged.of(key, change, revision);
        OutboxEntity row = new OutboxEntity();
        row.revision = revision;
        row.topic = Topics.PROVIDER_CHANGED;
        row.messageKey = key;
        row.payload = write(event);
        row.createdAt = event.occurredAt();
        return outbox.setRevision(revision).chain(() -> outbox.persist(row)).replaceWithVoid();
    }

    private String write(ProviderChanged event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("provider-changed event cannot be written as JSON", e);
        }
    }
}
