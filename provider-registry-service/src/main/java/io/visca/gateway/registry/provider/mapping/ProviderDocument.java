package io.visca.gateway.registry.provider.mapping;

import io.visca.gateway.contracts.provider.ProviderConfig;

/**
 * A parsed, validated and normalized provider config.
 *
 * @param enabledGiven whether the body said {@code enabled}; a PUT without it keeps the current state
 * @param baseUrlShorthand whether the body gave its one endpoint as {@code base_url} (errors name that field)
 */
public record ProviderDocument(ProviderConfig config, boolean enabledGiven, boolean baseUrlShorthand) {

    public ProviderDocument(ProviderConfig config, boolean enabledGiven) {
        this(config, enabledGiven, false);
    }

    /** Where the body wrote endpoint {@code index}'s base URL, e.g. {@code endpoints[1].base_url}. */
    public String baseUrlField(int index) {
        return baseUrlShorthand ? "base_url" : "endpoints[" + index + "].base_url";
    }
}
