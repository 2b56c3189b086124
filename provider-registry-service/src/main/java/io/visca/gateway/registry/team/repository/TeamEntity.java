package io.visca.gateway.registry.team.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.visca.gateway.registry.policy.repository.PolicyColumns;

/** A team: limits counted across all its keys (a request must fit its key's and its team's), and metadata. */
@Entity
@Table(name = "team")
public class TeamEntity {

    @Id
    public String name;

    /** Budget, rates and metadata (null when it has none of them). */
    @Embedded
    public PolicyColumns policy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
