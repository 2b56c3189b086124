package io.visca.gateway.registry.provider.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A stored provider: its normalized config document (JSON, secrets as written) and a few indexed columns. */
@Entity
@Table(name = "provider")
public class ProviderEntity {

    @Id
    public String name;

    @Column(nullable = false)
    public String type;

    /** Authoritative over the document's own {@code enabled}. */
    @Column(nullable = false)
    public boolean enabled;

    /** The {@code ProviderConfig} as snake_case JSON. */
    @Column(nullable = false)
    public String document;

    /** The registry revision of the last change of this provider. */
    @Column(nullable = false)
    public long revision;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
