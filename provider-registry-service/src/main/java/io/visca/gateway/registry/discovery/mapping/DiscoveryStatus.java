package io.visca.gateway.registry.discovery.mapping;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard shows of one provider's model discovery.
 *
 * @param discovers whether its models come from discovery (saved without models, a type that lists them)
 * @param models the discovered ids, sorted
 * @param status {@code pending}, {@code ok}, {@code partial} or {@code failed}
 * @param error why endpoints could not be listed, or null
 */
public record DiscoveryStatus(boolean discovers, List<String> models, String status, String error,
        Instant attemptedAt, Instant discoveredAt) {

    /** A provider with configured models. */
    public static final DiscoveryStatus NONE = new DiscoveryStatus(false, List.of(), null, null, null, null);

    /** Every provider's status by name, for the providers page; configured ones are {@link #NONE}. */
    public record ByProvider(Map<String, DiscoveryStatus> statuses) {

        public DiscoveryStatus of(String provider) {
            return statuses.getOrDefault(provider, NONE);
        }
    }
}
