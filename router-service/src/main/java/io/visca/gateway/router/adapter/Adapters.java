package io.visca.gateway.router.adapter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.visca.gateway.providers.KnownProviderTypes;

/**
 * Every {@link ProviderAdapter} bean, by the provider type it speaks. At start every known provider type
 * ({@link KnownProviderTypes}, one package per type in {@code gateway-providers}) must have exactly one adapter and
 * every adapter a known type: a type added without its adapter, or an adapter of a type no one knows, stops the router
 * with a message saying which.
 */
@Singleton
public class Adapters {

    private final Map<String, ProviderAdapter> byType = new HashMap<>();

    @Inject
    public Adapters(Instance<ProviderAdapter> adapters) {
        this((Iterable<ProviderAdapter>) adapters);
        requireEveryKnownType();
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

    /** These adapters, checked as at start: one for every known type, none for an unknown one. */
    public static Adapters ofEveryType(ProviderAdapter... adapters) {
        Adapters all = new Adapters(List.of(adapters));
        all.requireEveryKnownType();
        return all;
    }

    private void requireEveryKnownType() {
        List<String> known = KnownProviderTypes.names();
        List<String> missing = known.stream().filter(type -> !byType.containsKey(type)).toList();
        List<String> unknown = byType.keySet().stream().filter(type -> !known.contains(type)).sorted().toList();
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalStateException((missing.isEmpty() ? ""
                    : "provider types without a router adapter: "
                            + missing + " (add one under router/adapter/<type>); ")
                    + (unknown.isEmpty() ? ""
                            : "router adapters of types gateway-providers does not know: " + unknown
                                    + " (add the type's package there); ")
                    + "known types: " + known);
        }
    }

    /** These adapters, outside CDI (unit tests). */
    public static Adapters of(ProviderAdapter... adapters) {
        return new Adapters(List.of(adapters));
    }

    /** @return the adapter, or null when no adapter speaks {@code type} */
    public ProviderAdapter forType(String type) {
        return byType.get(type);
    }
}
