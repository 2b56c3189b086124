package io.visca.gateway.registry.routing.mapping;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visca.gateway.contracts.routing.RoutingPolicies;
import io.visca.gateway.contracts.routing.RoutingPolicy;
import io.visca.gateway.registry.routing.repository.RoutingPolicyEntity;

/**
 * Between the stored {@link RoutingPolicyEntity} rows and the {@link RoutingPolicies} API model. A row is keyed by
 * its model id, or by {@link #AUTO_KEY} for the policy of {@code "model": "auto"}.
 */
@ApplicationScoped
public class RoutingMapper {

    /** The key of the {@code auto} policy's row; no model can have this id. */
    public static final String AUTO_KEY = RoutingPolicy.AUTO;

    private final ObjectMapper json;

    RoutingMapper(ObjectMapper json) {
        this.json = json;
    }

    public RoutingPolicies toPolicies(List<RoutingPolicyEntity> rows) {
        return fromKeys(toKeyed(rows));
    }

    /** Every stored policy by its row key (model id, or {@link #AUTO_KEY}). */
    public Map<String, RoutingPolicy> toKeyed(List<RoutingPolicyEntity> rows) {
        Map<String, RoutingPolicy> keyed = new LinkedHashMap<>();
        rows.forEach(row -> keyed.put(row.policyKey, toPolicy(row)));
        return keyed;
    }

    /** The document of policies by row key. */
    public static RoutingPolicies fromKeys(Map<String, RoutingPolicy> keyed) {
        Map<String, RoutingPolicy> models = new LinkedHashMap<>(keyed);
        RoutingPolicy auto = models.remove(AUTO_KEY);
        return new RoutingPolicies(auto, models);
    }

    /** The policies of a document by row key. */
    public static Map<String, RoutingPolicy> toKeys(RoutingPolicies policies) {
        Map<String, RoutingPolicy> keyed = new LinkedHashMap<>();
        if (policies.auto() != null) {
            keyed.put(AUTO_KEY, policies.auto());
        }
        keyed.putAll(policies.models());
        return keyed;
    }

    public RoutingPolicy toPolicy(RoutingPolicyEntity row) {
        try {
            return json.readValue(row.policy, RoutingPolicy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored routing policy of " + row.policyKey + " is unreadable", e);
        }
    }

    public RoutingPolicyEntity toEntity(String key, RoutingPolicy policy, long revision, Instant now) {
        RoutingPolicyEntity row = new RoutingPolicyEntity();
        row.policyKey = key;
        update(row, policy, revision, now);
        return row;
    }

    public void update(RoutingPolicyEntity row, RoutingPolicy policy, long revision, Instant now) {
        row.policy = write(policy);
        row.revision = revision;
        row.updatedAt = now;
    }

    private String write(RoutingPolicy policy) {
        try {
            return json.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("routing policy cannot be written as JSON", e);
        }
    }
}
