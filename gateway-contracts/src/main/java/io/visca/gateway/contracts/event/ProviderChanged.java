package io.visca.gateway.contracts.event;

import java.time.Instant;
import java.util.UUID;

/**
 * Published by the registry after a change is committed; keyed by provider name ({@link #API_KEYS_KEY} for client
 * key changes, {@link #ROUTING_KEY} for changes of the default routing policies). Consumers refetch the registry snapshot and
 * keep it if its revision is at least {@link #revision()}.
 *
 * @param change one of {@code created}, {@code updated}, {@code enabled}, {@code disabled}, {@code deleted},
 *        {@code api_keys_changed}, {@code routing_changed}, {@code models_discovered} (the models a provider saved
 *        without models discovered from its endpoints changed)
 */
public record ProviderChanged(int schemaVersion, String eventId, Instant occurredAt, String provider, String change,
        long revision) {

    public static final int SCHEMA_VERSION = 1;
    public static final String API_KEYS_KEY = "$api-keys";
    /** Key of the event published when the default routing policies change ({@code change} = {@code routing_changed}). */
    public static final String ROUTING_KEY = "$routing";

    public static ProviderChanged of(String provider, String change, long revision) {
        return new ProviderChanged(SCHEMA_VERSION, UUID.randomUUID().toString(), Instant.now(), provider, change,
                revision);
    }
}
