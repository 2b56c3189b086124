package io.visca.gateway.registry.apikey.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.visca.gateway.registry.policy.repository.PolicyColumns;

/**
 * A client's gateway API key and its policy: only the SHA-256 of the key is stored; a revoked key keeps its row. An
 * expired key stays active (the router tells it apart from an unknown one).
 */
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

    /** The team whose limits the key counts against too, or null. */
    public String team;

    /** The model ids it may use, as a JSON array ({@code jsonb}); null: every model. */
    @ColumnTransformer(read = "models::text", write = "?::text::jsonb")
    public String models;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** Budget, rates and metadata (null when it has none of them). */
    @Embedded
    public PolicyColumns policy;

    /** After a rotation with a grace: the hash of the replaced key, accepted until {@link #previousValidUntil}. */
    @Column(name = "previous_key_hash")
    public String previousKeyHash;

    @Column(name = "previous_valid_until")
    public Instant previousValidUntil;
}
