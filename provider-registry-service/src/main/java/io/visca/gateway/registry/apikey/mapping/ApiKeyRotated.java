package io.visca.gateway.registry.apikey.mapping;

import java.time.Instant;

/**
 * The answer to a rotation: the new key, shown only here.
 *
 * @param key the new secret ({@code vsk_} and 32 random bytes in base64url), valid at once
 * @param previousValidUntil until when the replaced key still works; null when it stopped at once (grace 0)
 */
public record ApiKeyRotated(String id, String name, String key, String keyPrefix, Instant rotatedAt,
        Instant previousValidUntil) {

    @Override
    public String toString() {
        return "ApiKeyRotated[id=" + id + ", name=" + name + ", keyPrefix=" + keyPrefix + ", key=<masked>]";
    }
}
