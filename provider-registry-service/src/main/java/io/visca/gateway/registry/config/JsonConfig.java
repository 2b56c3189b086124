package io.visca.gateway.registry.config;

import java.util.Map;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;
import io.visca.gateway.contracts.routing.RoutingPolicies;
import io.visca.gateway.contracts.routing.RoutingPolicy;

/**
 * Prices are {@code BigDecimal}s: write them as plain decimals ({@code 0.0000001}), never {@code 1E-7}. The maps of
 * routing policies ({@code models}, {@code weights}) are immutable copies without an order of their own: write them
 * sorted by key, so the same policies always read the same.
 */
@Singleton
public class JsonConfig implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
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
