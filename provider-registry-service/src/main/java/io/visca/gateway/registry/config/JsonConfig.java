package io.visca.gateway.registry.config;

import java.util.Map;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;
import io.visca.gateway.contracts.routing.RoutingPolicies;
import io.visca.gateway.contracts.routing.RoutingPolicy;

/**
 * The registry's own JSON types (plain decimals come from the admin kit's {@code PlainDecimals}): the maps of
 * routing policies ({@code models}, {@code weights}) are immutable copies without an order of their own: write them
 * sorted by key, so the same policies always read the same.
 */
@Singleton
public class JsonConfig implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.addMixIn(RoutingPolicies.class, SortedModels.class);
        mapper.addMixIn(RoutingPolicy.class, SortedWeights.class);
    }

    /** Mix-in of {@link RoutingPolicies}. */
    abstract static class SortedModels {
        @JsonFormat(with = JsonFormat.Feature.WRITE_SORTED_MAP_ENTRIES)
        abstract Map<String, RoutingPolicy> models();
    }

    /** Mix-in of {@link RoutingPolicy}. */
    abstract static class SortedWeights {
        @JsonFormat(with = JsonFormat.Feature.WRITE_SORTED_MAP_ENTRIES)
        abstract Map<String, Integer> weights();
    }
}
