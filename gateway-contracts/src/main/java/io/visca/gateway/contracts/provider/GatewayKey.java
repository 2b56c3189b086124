package io.visca.gateway.contracts.provider;

import java.time.Instant;

/**
 * A client API key as the router sees it: only the SHA-256 hash of the key, never the key.
 *
 * @param keyHash lowercase hex SHA-256 of the full key string
 */
public record GatewayKey(String id, String name, String keyHash, Instant createdAt) {
}
