package io.visca.gateway.registry.provider.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.auth.SealedSecrets;
import io.visca.gateway.auth.SecretPolicy;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.registry.discovery.mapping.DiscoveredModels;
import io.visca.gateway.registry.discovery.service.ModelDiscovery;
import io.visca.gateway.registry.json.Violations;
import io.visca.gateway.registry.outbox.ChangeLog;
import io.visca.gateway.registry.outbox.OutboxRelay;
import io.visca.gateway.registry.provider.mapping.ProviderDocument;
import io.visca.gateway.registry.provider.mapping.ProviderMapper;
import io.visca.gateway.registry.provider.mapping.SecretRedactor;
import io.visca.gateway.registry.provider.mapping.SecretReferences;
import io.visca.gateway.registry.provider.mapping.StoredSecrets;
import io.visca.gateway.registry.provider.repository.ProviderEntity;
import io.visca.gateway.registry.provider.repository.ProviderRepository;

/**
 * Provider configs: each change runs in one transaction that locks the registry revision, writes the provider row
 * and the {@code provider-changed} outbox row; the relay is triggered once it committed. Submitted literal secrets
 * are encrypted before anything else ({@link StoredSecrets}), and a created or replaced config's URLs pass the
 * outbound URL policy ({@link OutboundUrlCheck}). Reads through {@link #get} and {@link #list} are
 * redacted; {@link #getStored} (secrets encrypted) is for the internal API, {@link #getForCall} (secrets opened) for
 * the registry's own upstream calls. A provider saved without {@code models} discovers them ({@link ModelDiscovery},
 * started after each save): {@link #get} and {@link #list} show the operator's document (no models), the internal
 * reads include the discovered ones.
 */
@ApplicationScoped
public class ProviderService {

    private final ProviderRepository providers;
    private final ProviderMapper mapper;
    private final ChangeLog changes;
    private final OutboxRelay relay;
    private final SecretPolicy secretNames;
    private final StoredSecrets secrets;
    private final OutboundUrlCheck urls;
    private final DiscoveredModels discovered;
    private final ModelDiscovery discovery;

    ProviderService(ProviderRepository providers, ProviderMapper mapper, ChangeLog changes, OutboxRelay relay,
            SecretResolver resolver, StoredSecrets secrets, OutboundUrlCheck urls, DiscoveredModels discovered,
            ModelDiscovery discovery) {
        this.discovered = discovered;
        this.discovery = discovery;
        this.providers = providers;
        this.mapper = mapper;
        this.changes = changes;
        this.relay = relay;
        this.secretNames = resolver.policy();
        this.secrets = secrets;
        this.urls = urls;
    }

    public Uni<List<ProviderConfig>> list() {
        return Panache.withSession(() -> providers.listByName())
                .map(entities -> entities.stream().map(mapper::toApiModel).toList());
    }

    /** The operator's document, redacted (a provider that discovers its models has none here). */
    public Uni<ProviderConfig> get(String name) {
        return Panache.withSession(() -> providers.findById(name)).map(entity -> mapper.toConfig(existing(entity,
                name))).map(SecretRedactor::redact);
    }

    /**
     * The stored document with its discovered models, literal secrets encrypted: for the internal API, never for an
     * admin API response.
     */
    public Uni<ProviderConfig> getStored(String name) {
        return Panache.withSession(() -> providers.findById(name)
                .chain(entity -> discovered.apply(mapper.toConfig(existing(entity, name)))));
    }

    /**
     * The stored document with its literal secrets decrypted, for the registry's own calls to the provider (Test
     * Connection) and nothing else; a secret that does not decrypt is named in {@link SealedSecrets.Opened#problem()}.
     */
    public Uni<SealedSecrets.Opened> getForCall(String name) {
        return getStored(name).map(secrets::open);
    }

    /** @throws ApiException 409 when the name is taken; 400 when a URL points where the outbound policy refuses */
    public Uni<ProviderConfig> create(ProviderDocument document) {
        return urls.check(document)
                .chain(() -> Uni.createFrom().item(() -> restore(secrets.sealSubmitted(document.config(), null), null)))
                .chain(config -> afterCommit(
                        Panache.withTransaction(() -> changes.begin()
                                .chain(revision -> providers.findById(config.name()).chain(found -> {
                                    if (found != null) {
                                        throw ApiException.conflict("provider_exists", "name", "provider '" + config.name()
                                                + "' already exists; PUT /api/providers/" + config.name() + " replaces it");
                                    }
                                    return providers.persist(mapper.toEntity(config, revision, Instant.now()))
                                            .call(() -> changes.record(config.name(), ChangeLog.CREATED, revision));
                                }))))
                        .invoke(() -> discovery.trigger(config))
                        .replaceWith(SecretRedactor.redact(config)));
    }

    /**
     * Creates the provider unless one of that name exists, which is left untouched.
     *
     * @return whether it was created
     */
    public Uni<Boolean> createIfAbsent(ProviderDocument document) {
        return create(document).replaceWith(true)
                .onFailure(e -> e instanceof ApiException api && api.status() == 409).recoverWithItem(false);
    }

    /** Full replace; a body without {@code enabled} keeps the current state. */
    public Uni<ProviderConfig> replace(String name, ProviderDocument document) {
        if (document.config().name() != null && !document.config().name().equals(name)) {
            throw Violations.invalid("name", "must match the provider in the URL ('" + name + "'); renaming is "
                    + "not supported: create the new provider and delete the old one");
        }
        return urls.check(document).chain(() -> afterCommit(Panache.withTransaction(() -> changes.begin()
                .chain(revision -> providers.findById(name).chain(entity -> {
                    ProviderConfig stored = mapper.toConfig(existing(entity, name));
                    ProviderConfig incoming = restore(secrets.sealSubmitted(document.config(), stored), stored);
                    if (!document.enabledGiven()) {
                        incoming = incoming.withEnabled(stored.enabled());
                    }
                    if (incoming.equals(stored)) {
                        return Uni.createFrom().item(stored);
                    }
                    ProviderConfig updated = incoming;
                    mapper.update(entity, updated, revision, Instant.now());
                    return changes.record(name, ChangeLog.UPDATED, revision).replaceWith(updated);
                })))))
                .invoke(discovery::trigger)
                .map(SecretRedactor::redact);
    }

    public Uni<ProviderConfig> setEnabled(String name, boolean enabled) {
        return afterCommit(Panache.withTransaction(() -> changes.begin()
                .chain(revision -> providers.findById(name).chain(entity -> {
                    ProviderConfig stored = mapper.toConfig(existing(entity, name));
                    if (stored.enabled() == enabled) {
                        return Uni.createFrom().item(stored);
                    }
                    ProviderConfig updated = stored.withEnabled(enabled);
                    mapper.update(entity, updated, revision, Instant.now());
                    return changes.record(name, enabled ? ChangeLog.ENABLED : ChangeLog.DISABLED, revision)
                            .replaceWith(updated);
                }))))
                .map(SecretRedactor::redact);
    }

    public Uni<Void> delete(String name) {
        return afterCommit(Panache.withTransaction(() -> changes.begin()
                .chain(revision -> providers.findById(name).chain(entity -> providers.delete(existing(entity, name))
                        .call(() -> changes.record(name, ChangeLog.DELETED, revision))))));
    }

    /** Triggers the relay once the transaction committed (a no-op change records no event and no revision). */
    private <T> Uni<T> afterCommit(Uni<T> transaction) {
        return transaction.invoke(relay::trigger);
    }

    private ProviderConfig restore(ProviderConfig incoming, ProviderConfig stored) {
        Violations violations = new Violations();
        SecretReferences.check(incoming, secretNames, violations);
        ProviderConfig restored = SecretRedactor.restore(incoming, stored, violations);
        violations.throwIfAny();
        return restored;
    }

    private static ProviderEntity existing(ProviderEntity entity, String name) {
        if (entity == null) {
            throw ApiException.notFound("provider_not_found", "no provider named '" + name + "'");
        }
        return entity;
    }
}
