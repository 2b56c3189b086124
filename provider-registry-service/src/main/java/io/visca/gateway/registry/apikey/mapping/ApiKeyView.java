package io.visca.gateway.registry.apikey.mapping;

import java.time.Instant;

/**
 * An active key as listed by the admin API.
 *
 * @param keyPrefix the first 8 characters of the key ({@code vsk_} and 4 more)
 */
public record ApiKeyView(String id, String name, String keyPrefix, Instant createdAt) {
}
