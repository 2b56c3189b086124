package io.visca.gateway.registry.apikey.mapping;

import java.time.Instant;

/**
 * The answer to a key creation: the only time the key is shown.
 *
 * @param key {@code vsk_} and 32 random bytes in base64url; store it now, the registry keeps only its hash
 */
public record ApiKeyCreated(String id, String name, String key, String keyPrefix, Instant createdAt) {

    @Override
    public String toString() {
        return "ApiKeyCreated[id=" + id + ", name=" + name + ", keyPrefix=" + keyPrefix + ", key=<masked>]";
    }
}
