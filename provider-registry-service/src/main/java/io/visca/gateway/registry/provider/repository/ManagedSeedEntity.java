package io.visca.gateway.registry.provider.repository;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What the registry seeded of a managed provider (table {@code managed_seed}, V3). Kept when the provider is deleted,
 * so that a removed managed provider is not created again at the next start.
 */
@Entity
@Table(name = "managed_seed")
public class ManagedSeedEntity {

    @Id
    public String name;

    @Column(name = "seeded_at", nullable = false)
    public Instant seededAt;

    /** The {@code as_of} date of the catalogue the provider was last seeded (or updated) from. */
    @Column(name = "catalogue_as_of", nullable = false)
    public LocalDate catalogueAsOf;

    /**
     * SHA-256 (hex) of the document as seeded; a stored document with another hash was edited since. Null when the
     * name was already taken by the operator's own provider: never managed.
     */
    @Column(name = "document_hash")
    public String documentHash;

    /** {@code created_at} of the provider row seeded: a provider re-created by hand under the name is not managed. */
    @Column(name = "provider_created_at")
    public Instant providerCreatedAt;
}
