package io.visca.gateway.registry.apikey.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A client's gateway API key: only the SHA-256 of the key is stored; a revoked key keeps its row. */
@Entity
@Table(name = "api_key")
public class ApiKeyEntity {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    /** Lowercase hex SHA-256 of the full key. */
    @Column(name = "key_hash", nullable = false)
    public String keyHash;

    /** The first 8 characters of the key, to recognize it in a list. */
    @Column(name = "key_prefix", nullable = false)
    public String keyPrefix;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
