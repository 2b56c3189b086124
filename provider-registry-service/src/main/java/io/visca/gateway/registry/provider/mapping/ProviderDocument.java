package io.visca.gateway.registry.provider.mapping;

import io.visca.gateway.contracts.provider.ProviderConfig;

/**
 * A parsed, validated and normalized provider config.
 *
 * @param enabledGiven whether the body said {@code enabled}; a PUT without it keeps the current state
 */
public record ProviderDocument(ProviderConfig config, boolean enabledGiven) {
}
