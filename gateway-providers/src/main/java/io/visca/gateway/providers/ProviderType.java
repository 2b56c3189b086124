package io.visca.gateway.providers;

import java.util.Map;
import java.util.Optional;

/**
 * Everything one provider type knows outside the router's request and stream translation, as data the services'
 * own HTTP clients act on: the health monitor's default probe, the registry's Test Connection requests and how their
 * answers are judged, the model listing of model discovery, and which parts of the provider document the type takes.
 * Implementations live one package per type and are found by {@link KnownProviderTypes} through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.visca.gateway.providers.ProviderType}).
 */
public interface ProviderType {

    /** The {@code type} of a provider document, e.g. {@code openai-compatible}. */
    String name();

    /**
     * The path a health probe GETs when {@code health_check.endpoint} is null, relative to the base URL (so an
     * endpoint behind a path prefix keeps it); null when the probe GETs the base URL itself and any HTTP answer below
     * 500 means reachable ({@code custom}). The path never runs a model.
     */
    String defaultHealthPath();

    /** Headers every request to this type carries, the health probe's included (Anthropic's version). */
    default Map<String, String> fixedHeaders() {
        return Map.of();
    }

    /** What Test Connection sends and how it reads the answers. */
    ConnectionCheck connectionCheck();

    /** The model listing of model discovery; empty when the type has none (its providers must list models). */
    default Optional<ModelListing> modelListing() {
        return Optional.empty();
    }

    /**
     * Where the type is listed among the known types (the dashboard's list, "known types: ..."), lowest first, ties by
     * name: the built-in types 10 to 60 in the order they were added, a type added later after them by default.
     */
    default int listOrder() {
        return 1000;
    }

    /** Whether the document carries its own {@code request} and {@code transform} ({@code custom}); else refused. */
    default boolean takesRequestAndTransform() {
        return false;
    }
}
