package io.visca.gateway.contracts.provider;

import java.time.Instant;
import java.util.List;

/**
 * A client API key as the router sees it: only the SHA-256 hash of the key, never the key, and its policy.
 *
 * @param keyHash lowercase hex SHA-256 of the full key string
 * @param team the team the key belongs to (its limits count across all its keys), or null
 * @param models the model ids the key may request ({@code auto} routes only among them); null = every model
 * @param expiresAt after this instant the key is refused ({@code key_expired}); null = never
 * @param limits the key's own budget and rates ({@link KeyLimits#NONE} when it has none)
 * @param previousKeyHash after a rotation, the hash of the secret it replaced, accepted until
 *        {@code previousValidUntil}; null when there is none
 */
public record GatewayKey(String id, String name, String keyHash, Instant createdAt, String team, List<String> models,
        Instant expiresAt, KeyLimits limits, String previousKeyHash, Instant previousValidUntil) {

    public GatewayKey {
        models = models == null ? null : List.copyOf(models);
        limits = limits == null ? KeyLimits.NONE : limits;
    }

    /** A key without a team, policy or rotation (as every key was before key governance). */
    public GatewayKey(String id, String name, String keyHash, Instant createdAt) {
        this(id, name, keyHash, createdAt, null, null, null, KeyLimits.NONE, null, null);
    }
}
