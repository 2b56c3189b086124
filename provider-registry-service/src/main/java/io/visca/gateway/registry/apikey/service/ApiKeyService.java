package io.visca.gateway.registry.apikey.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.event.ProviderChanged;
import io.visca.gateway.contracts.provider.KeyLimits;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.registry.apikey.mapping.ApiKeyCreated;
import io.visca.gateway.registry.apikey.mapping.ApiKeyMapper;
import io.visca.gateway.registry.apikey.mapping.ApiKeyRotated;
import io.visca.gateway.registry.apikey.mapping.ApiKeyView;
import io.visca.gateway.registry.apikey.mapping.KeyPatch;
import io.visca.gateway.registry.apikey.repository.ApiKeyEntity;
import io.visca.gateway.registry.apikey.repository.ApiKeyRepository;
import io.visca.gateway.registry.outbox.ChangeLog;
import io.visca.gateway.registry.outbox.OutboxRelay;
import io.visca.gateway.registry.policy.service.Budgets;
import io.visca.gateway.registry.team.repository.TeamRepository;

/**
 * Gateway API keys of clients: {@code vsk_} + 32 bytes of {@link SecureRandom} in base64url, shown once (at creation
 * and at each rotation); only the SHA-256 hex of a key is stored. Creating, changing, rotating or revoking a key is a
 * registry change ({@code $api-keys} event), so the routers take a new snapshot.
 */
@ApplicationScoped
public class ApiKeyService {

    public static final String PREFIX = "vsk_";
    /** The longest a replaced key may stay valid after a rotation. */
    public static final int MAX_GRACE_SECONDS = 7 * 24 * 3600;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiKeyRepository keys;
    private final TeamRepository teams;
    private final ChangeLog changes;
    private final OutboxRelay relay;
    private final Budgets budgets;

    ApiKeyService(ApiKeyRepository keys, TeamRepository teams, ChangeLog changes, OutboxRelay relay,
            Budgets budgets) {
        this.keys = keys;
        this.teams = teams;
        this.changes = changes;
        this.relay = relay;
        this.budgets = budgets;
    }

    /** A key with a name and no policy. */
    public Uni<ApiKeyCreated> create(String name) {
        return create(KeyPatch.named(name));
    }

    /** @throws ApiException 400 listing every violation of the body, the team's existence included */
    public Uni<ApiKeyCreated> create(KeyPatch patch) {
        String key = newKey();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ApiKeyEntity entity = new ApiKeyEntity();
        entity.id = UUID.randomUUID().toString();
        entity.keyHash = sha256Hex(key);
        entity.keyPrefix = key.substring(0, 8);
        entity.createdAt = now;
        patch.applyTo(entity, now);
        // the team is checked after begin() took the registry's lock, so it cannot be deleted meanwhile
        return Panache.withTransaction(() -> changes.begin()
                .chain(revision -> checkTeam(patch).chain(() -> keys.persist(entity))
                        .call(() -> changes.record(ProviderChanged.API_KEYS_KEY, ChangeLog.API_KEYS_CHANGED,
                                revision))))
                .invoke(relay::trigger)
                .map(saved -> ApiKeyCreated.of(key, ApiKeyMapper.toApiModel(saved, now)));
    }

    /** Active keys (expired ones included) with their policy, without spend. */
    public Uni<List<ApiKeyView>> listActive() {
        Instant now = Instant.now();
        return Panache.withSession(() -> keys.listActive())
                .map(entities -> entities.stream().map(e -> ApiKeyMapper.toApiModel(e, now)).toList());
    }

    /**
     * Active keys with, for those with a budget, its spend in the current period (the dashboard's list; billing is
     * asked once per period start, and a failure shows as {@code spend_unavailable}).
     */
    public Uni<List<ApiKeyView>> listActiveWithBudgets() {
        Instant now = Instant.now();
        return Panache.withSession(() -> keys.listActive()).chain(entities -> {
            Map<String, KeyLimits> limits = new HashMap<>();
            entities.forEach(e -> limits.put(scope(e.id), ApiKeyMapper.limits(e)));
            return budgets.all(limits, now).map(views -> entities.stream()
                    .map(e -> ApiKeyMapper.toApiModel(e, now).withBudget(views.get(scope(e.id)))).toList());
        });
    }

    /**
     * One active key with its budget's spend in the current period (read from billing after the database session).
     *
     * @throws ApiException 404 when no active key has that id
     */
    public Uni<ApiKeyView> get(String id) {
        Instant now = Instant.now();
        return Panache.withSession(() -> keys.findActive(id)).map(entity -> found(entity, id))
                .chain(entity -> withBudget(entity, now));
    }

    /**
     * Applies a merge patch; a patch that changes nothing records no change (same revision).
     *
     * @throws ApiException 404 when no active key has that id, 400 listing the violations
     */
    public Uni<ApiKeyView> update(String id, KeyPatch patch) {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> changes.begin()
                .chain(revision -> keys.findActive(id).map(entity -> found(entity, id)).chain(entity -> {
                    ApiKeyView before = ApiKeyMapper.toApiModel(entity, now);
                    patch.applyTo(entity, now);
                    return checkTeam(patch).chain(() -> {
                        if (ApiKeyMapper.toApiModel(entity, now).equals(before)) {
                            return Uni.createFrom().item(false);
                        }
                        return changes.record(ProviderChanged.API_KEYS_KEY, ChangeLog.API_KEYS_CHANGED, revision)
                                .replaceWith(true);
                    }).replaceWith(entity);
                })))
                .invoke(relay::trigger)
                .chain(entity -> withBudget(entity, now));
    }

    /**
     * Gives the key a new secret. The replaced one stays valid for {@code graceSeconds} (0: it stops at once); a
     * previous secret still in its grace is dropped (only the one just replaced is kept).
     *
     * @throws ApiException 404 when no active key has that id
     */
    public Uni<ApiKeyRotated> rotate(String id, int graceSeconds) {
        String key = newKey();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> changes.begin()
                .chain(revision -> keys.findActive(id).map(entity -> found(entity, id)).call(entity -> {
                    entity.previousKeyHash = graceSeconds > 0 ? entity.keyHash : null;
                    entity.previousValidUntil = graceSeconds > 0 ? now.plusSeconds(graceSeconds) : null;
                    entity.keyHash = sha256Hex(key);
                    entity.keyPrefix = key.substring(0, 8);
                    return changes.record(ProviderChanged.API_KEYS_KEY, ChangeLog.API_KEYS_CHANGED, revision);
                })))
                .invoke(relay::trigger)
                .map(entity -> new ApiKeyRotated(entity.id, entity.name, key, entity.keyPrefix, now,
                        entity.previousValidUntil));
    }

    /** @throws ApiException 404 when no active key has that id */
    public Uni<Void> revoke(String id) {
        return Panache.withTransaction(() -> changes.begin()
                .chain(revision -> keys.findActive(id).chain(entity -> {
                    found(entity, id).revokedAt = Instant.now();
                    return changes.record(ProviderChanged.API_KEYS_KEY, ChangeLog.API_KEYS_CHANGED, revision);
                })))
                .invoke(relay::trigger);
    }

    private Uni<ApiKeyView> withBudget(ApiKeyEntity entity, Instant now) {
        ApiKeyView view = ApiKeyMapper.toApiModel(entity, now);
        return budgets.of(scope(entity.id), ApiKeyMapper.limits(entity), now).map(view::withBudget);
    }

    /** The key's scope in billing's quota store. */
    private static String scope(String id) {
        return "key:" + id;
    }

    /** The team a patch names must exist (a 400 naming the field, with the patch's other violations). */
    private Uni<Void> checkTeam(KeyPatch patch) {
        Uni<Void> checked = patch.team() == null ? Uni.createFrom().voidItem()
                : teams.findById(patch.team()).invoke(team -> {
                    if (team == null) {
                        patch.violations().add("team", "no team named '" + patch.team()
                                + "'; create it first (POST /api/teams)");
                    }
                }).replaceWithVoid();
        return checked.invoke(() -> patch.violations().throwIfAny());
    }

    private static ApiKeyEntity found(ApiKeyEntity entity, String id) {
        if (entity == null) {
            throw ApiException.notFound("api_key_not_found", "no active API key with id '" + id + "'");
        }
        return entity;
    }

    private static String newKey() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
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
