package io.visca.gateway.router.adapter;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/** Every {@link ProviderAdapter} bean, by the provider type it speaks. */
@Singleton
public class Adapters {

    private final Map<String, ProviderAdapter> byType = new HashMap<>();

    @jakarta.inject.Inject
    public Adapters(Instance<ProviderAdapter> adapters) {
        this((Iterable<ProviderAdapter>) adapters);
    }

    private Adapters(Iterable<ProviderAdapter> adapters) {
        for (ProviderAdapter adapter : adapters) {
            ProviderAdapter previous = byType.put(adapter.type(), adapter);
            if (previous != null) {
                throw new IllegalStateException("two adapters for provider type " + adapter.type() + ": "
                        + previous.getClass().getName() + " and " + adapter.getClass().getName());
            }
        }
    }

    /** These adapters, outside CDI (unit tests). */
    public static Adapters of(ProviderAdapter... adapters) {
        return new Adapters(java.util.List.of(adapters));
    }

    /** @return the adapter, or null when no adapter speaks {@code type} */
    public ProviderAdapter forType(String type) {
        return byType.get(type);
    }
}
