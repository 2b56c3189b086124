package io.visca.gateway.registry.routing.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One default routing policy: of a model id, or of {@code "model": "auto"} under the key {@code auto} (a reserved
 * model id, so the two never collide).
 */
@Entity
@Table(name = "routing_policy")
public class RoutingPolicyEntity {

    @Id
    @Column(name = "policy_key")
    public String policyKey;

    /** The {@code RoutingPolicy} as snake_case JSON. */
    @Column(nullable = false)
    public String policy;

    /** The registry revision of the last change of this policy. */
    @Column(nullable = false)
    public long revision;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
