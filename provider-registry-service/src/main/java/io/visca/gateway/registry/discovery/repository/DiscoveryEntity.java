package io.visca.gateway.registry.discovery.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What model discovery knows of one provider saved without {@code models}: per endpoint, the ids its last successful
 * listing held, and how the last attempt went. Kept apart from the operator's document ({@code provider}), deleted
 * with the provider.
 */
@Entity
@Table(name = "provider_discovery")
public class DiscoveryEntity {

    @Id
    public String provider;

    /** JSON array of {@code {"id", "base_url", "models": [...], "listed_at"}}, one per endpoint that ever listed. */
    @Column(nullable = false)
    public String endpoints;

    /** {@code pending}, {@code ok}, {@code partial} or {@code failed}. */
    @Column(nullable = false)
    public String status;

    public String error;

    @Column(name = "attempted_at")
    public Instant attemptedAt;

    @Column(name = "discovered_at")
    public Instant discoveredAt;
}
