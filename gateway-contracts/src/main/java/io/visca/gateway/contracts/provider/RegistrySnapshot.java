package io.visca.gateway.contracts.provider;

import java.time.Instant;
import java.util.List;

/**
 * The full configuration the other services start from: every provider (enabled or not) and every active client
 * key. {@code revision} grows with each change, so a consumer can ignore a snapshot older than the one it has.
 */
public record RegistrySnapshot(long revision, Instant generatedAt, List<ProviderConfig> providers,
        List<GatewayKey> apiKeys) {

    public RegistrySnapshot {
        providers = providers == null ? List.of() : List.copyOf(providers);
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    }
}
