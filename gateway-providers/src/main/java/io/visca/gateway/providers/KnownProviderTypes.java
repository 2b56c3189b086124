package io.visca.gateway.providers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The provider types this process knows: every {@link ProviderType} registered through
 * {@code META-INF/services/io.visca.gateway.providers.ProviderType} on the class path, loaded once. Listed by
 * {@link ProviderType#listOrder()}: the built-in types first, then any added one (a test's {@code example-echo}),
 * whatever the class path's order. Two types of the same name are a
 * packaging mistake and fail loading.
 */
public final class KnownProviderTypes {

    private static final Map<String, ProviderType> TYPES = load();

    private KnownProviderTypes() {
    }

    /** The known type names, built-in ones first, e.g. for "known types: ..." messages and the dashboard's list. */
    public static List<String> names() {
        return List.copyOf(TYPES.keySet());
    }

    public static List<ProviderType> all() {
        return List.copyOf(TYPES.values());
    }

    /** The type of this name; empty for null or an unknown name. */
    public static Optional<ProviderType> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(TYPES.get(name));
    }

    /**
     * The type of this name.
     *
     * @throws UnknownProviderTypeException naming the known types, for null or an unknown name
     */
    public static ProviderType get(String name) {
        return find(name).orElseThrow(() -> new UnknownProviderTypeException(name, names()));
    }

    private static Map<String, ProviderType> load() {
        List<ProviderType> found = new ArrayList<>();
        ServiceLoader.load(ProviderType.class, KnownProviderTypes.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparingInt(ProviderType::listOrder).thenComparing(ProviderType::name));
        Map<String, ProviderType> types = new LinkedHashMap<>();
        for (ProviderType type : found) {
            ProviderType twice = types.putIfAbsent(type.name(), type);
            if (twice != null) {
                throw new IllegalStateException("provider type '" + type.name() + "' is registered twice: "
                        + twice.getClass().getName() + " and " + type.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(types);
    }
}
