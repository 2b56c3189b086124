package io.visca.gateway.router.adapter;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/** Every {@link ProviderAdapter} bean, by the provider type it speaks. */
@Singleton
public class Adapters {

    private final Map<String, ProviderAdapter> byType = new HashMap<>();

    public Adapters(Instance<ProviderAdapter> adapters) {
        for (ProviderAdapter adapter : adapters) {
            ProviderAdapter previous = byType.put(adapter.type(), adapter);
            if (previous != null) {
                throw new IllegalStateException("two adapters for provider type " + adapter.type() + ": "
                        + previous.getClass().getName() + " and " + adapter.getClass().getName());
            }
        }
    }

    /** @return the adapter, or null when no adapter speaks {@code type} */
    public ProviderAdapter forType(String type) {
        return byType.get(type);
    }
}
