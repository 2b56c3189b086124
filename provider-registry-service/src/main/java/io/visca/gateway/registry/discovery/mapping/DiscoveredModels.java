package io.visca.gateway.registry.discovery.mapping;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.registry.discovery.repository.DiscoveryEntity;
import io.visca.gateway.registry.discovery.repository.DiscoveryRepository;
import io.visca.gateway.registry.provider.mapping.ModelDiscoveryRules;

/**
 * The models of a provider that discovers them: the union, sorted, of what its endpoints listed at their last
 * successful listing, counting only the endpoints it has now (same id and base URL). The router, the health monitor
 * and Test Connection see them as the provider's {@code models} (without prices); the operator's document keeps none.
 */
@ApplicationScoped
public class DiscoveredModels {

    private static final TypeReference<List<EndpointListing>> LISTINGS = new TypeReference<>() {
    };

    private final ObjectMapper json;
    private final DiscoveryRepository states;

    DiscoveredModels(ObjectMapper json, DiscoveryRepository states) {
        this.json = json;
        this.states = states;
    }

    /** The config with its discovered models, read in the caller's session; others as they are. */
    public Uni<ProviderConfig> apply(ProviderConfig config) {
        if (!ModelDiscoveryRules.discovers(config)) {
            return Uni.createFrom().item(config);
        }
        return states.findById(config.name()).map(state -> apply(config, state));
    }

    /** Each config with its discovered models, read in the caller's session. */
    public Uni<List<ProviderConfig>> apply(List<ProviderConfig> configs) {
        if (configs.stream().noneMatch(ModelDiscoveryRules::discovers)) {
            return Uni.createFrom().item(configs);
        }
        return states.byProvider().map(all -> configs.stream().map(c -> apply(c, all.get(c.name()))).toList());
    }

    public ProviderConfig apply(ProviderConfig config, DiscoveryEntity state) {
        if (!ModelDiscoveryRules.discovers(config) || state == null) {
            return config;
        }
        List<ModelConfig> models = ids(config, state).stream().map(ModelDiscoveryRules::model).toList();
        return new ProviderConfig(config.name(), config.type(), config.enabled(), config.endpoints(), config.auth(),
                models, config.healthCheck(), config.timeouts(), config.rateLimit(), config.retry(), config.request(),
                config.transform());
    }

    /** The discovered model ids of this config's endpoints, sorted. */
    public List<String> ids(ProviderConfig config, DiscoveryEntity state) {
        if (state == null) {
            return List.of();
        }
        Map<String, String> endpoints = new java.util.HashMap<>();
        for (EndpointConfig endpoint : config.endpoints()) {
            endpoints.put(endpoint.id(), endpoint.baseUrl());
        }
        TreeSet<String> ids = new TreeSet<>();
        for (EndpointListing listing : listings(state)) {
            if (listing.baseUrl() != null && listing.baseUrl().equals(endpoints.get(listing.id()))) {
                ids.addAll(listing.models());
            }
        }
        return ids.stream().limit(ModelDiscoveryRules.MAX_MODELS).toList();
    }

    public List<EndpointListing> listings(DiscoveryEntity state) {
        try {
            return state.endpoints == null ? List.of() : json.readValue(state.endpoints, LISTINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored discovery of provider " + state.provider + " is unreadable", e);
        }
    }

    public String write(List<EndpointListing> listings) {
        try {
            return json.writeValueAsString(listings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("discovered models cannot be written as JSON", e);
        }
    }
}
