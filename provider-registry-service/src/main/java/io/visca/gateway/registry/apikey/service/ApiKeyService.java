package io.visca.gateway.registry.apikey.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.event.ProviderChanged;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.registry.apikey.mapping.ApiKeyCreated;
import io.visca.gateway.registry.apikey.mapping.ApiKeyMapper;
import io.visca.gateway.registry.apikey.mapping.ApiKeyView;
import io.visca.gateway.registry.apikey.repository.ApiKeyEntity;
import io.visca.gateway.registry.apikey.repository.ApiKeyRepository;
import io.visca.gateway.registry.outbox.ChangeLog;
import io.visca.gateway.registry.outbox.OutboxRelay;

/**
 * Gateway API keys of clients: {@code vsk_} + 32 bytes of {@link SecureRandom} in base64url, shown once; only the
 * SHA-256 hex of a key is stored. Creating or revoking a key is a registry change ({@code $api-keys} event).
 */
@ApplicationScoped
public class ApiKeyService {

    public static final String PREFIX = "vsk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiKeyRepository keys;
    private final ChangeLog changes;
    private final OutboxRelay relay;

    ApiKeyService(ApiKeyRepository keys, ChangeLog changes, OutboxRelay relay) {
        this.keys = keys;
        this.changes = changes;
        this.relay = relay;
    }

    public Uni<ApiKeyCreated> create(String name) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ApiKeyEntity entity = new ApiKeyEntity();
        entity.id = UUID.randomUUID().toString();
        entity.name = name;
        entity.keyHash = sha256Hex(key);
        entity.keyPrefix = key.substring(0, 8);
        entity.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> changes.begin()
                .chain(revision -> keys.persist(entity)
                        .call(() -> changes.record(ProviderChanged.API_KEYS_KEY, ChangeLog.API_KEYS_CHANGED,
                                revision))))
                .invoke(relay::trigger)
                .map(saved -> new ApiKeyCreated(saved.id, saved.name, key, saved.keyPrefix, saved.createdAt));
    }

    public Uni<List<ApiKeyView>> listActive() {
        return Panache.withSession(() -> keys.listActive())
                .map(entities -> entities.stream().map(ApiKeyMapper::toApiModel).toList());
    }

    /** @throws ApiException 404 when no active key has that id */
    public Uni<Void> revoke(String id) {
        return Panache.withTransaction(() -> changes.begin()
                .chain(revision -> keys.findActive(id).chain(entity -> {
                    if (entity == null) {
                        throw ApiException.notFound("api_key_not_found", "no active API key with id '" + id + "'");
                    }
                    entity.revokedAt = Instant.now();
                    return changes.record(ProviderChanged.API_KEYS_KEY, ChangeLog.API_KEYS_CHANGED, revision);
                })))
                .invoke(relay::trigger);
    }

    /** Lowercase hex SHA-256 of the key's UTF-8 bytes: what the router compares. */
    public static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
