package io.visca.gateway.registry.dashboard.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.registry.apikey.service.ApiKeyService;
import io.visca.gateway.registry.config.RegistryConfig;
import io.visca.gateway.registry.provider.mapping.StoredSecrets;

/**
 * The playground's own gateway key, one for every registry instance: kept in PostgreSQL ({@link PlaygroundKeyStore},
 * the clear text sealed under the secrets key) and in each instance's memory once read. The first send anywhere
 * makes it; an instance that finds it active adopts it. When the stored key is gone (revoked, or it cannot be opened
 * after a change of secrets key), the instance that notices makes a new one, stores it if nobody replaced the old one
 * meanwhile (else it revokes its own and adopts the winner's), and revokes the other keys of that name (left by
 * earlier versions). When the router rejects the key, it is forgotten only if it is no longer active, so the next
 * send reads the stored one again; an active key the router does not know yet (it learns new keys with its next
 * snapshot) is kept.
 */
@ApplicationScoped
public class PlaygroundKey {

    public static final String NAME = "dashboard-playground";
    private static final Logger LOG = Logger.getLogger(PlaygroundKey.class);
    /** Where the sealed key is bound to (a field no provider has). */
    private static final String SEAL_FIELD = "playground.key";

    private final ApiKeyService keys;
    private final PlaygroundKeyStore store;
    private final StoredSecrets secrets;
    private final Duration propagation;
    private final AtomicReference<Known> current = new AtomicReference<>();

    private record Known(String id, String key, Instant createdAt) {
        @Override
        public String toString() {
            return "Known[id=" + id + ", key=<masked>]";
        }
    }

    PlaygroundKey(ApiKeyService keys, PlaygroundKeyStore store, StoredSecrets secrets, RegistryConfig config) {
        this.keys = keys;
        this.store = store;
        this.secrets = secrets;
        this.propagation = config.dashboard().playgroundKeyPropagation();
    }

    public Uni<String> get() {
        Known known = current.get();
        if (known != null) {
            return Uni.createFrom().item(known.key());
        }
        return adoptOrMake(3);
    }

    private Uni<String> adoptOrMake(int attempts) {
        return store.read().chain(stored -> keys.listActive().chain(active -> {
            if (stored != null && active.stream().anyMatch(k -> k.id().equals(stored.apiKeyId()))) {
                String key = open(stored);
                if (key != null) {
                    current.set(new Known(stored.apiKeyId(), key, stored.createdAt()));
                    return Uni.createFrom().item(key);
                }
            }
            return make(stored, attempts);
        }));
    }

    /** Makes a key and stores it in place of {@code seen}; adopts the stored one if another instance was first. */
    private Uni<String> make(PlaygroundKeyStore.Stored seen, int attempts) {
        return keys.create(NAME).chain(created -> {
            Instant now = Instant.now();
            PlaygroundKeyStore.Stored mine = new PlaygroundKeyStore.Stored(created.id(),
                    secrets.cipher().seal(NAME, SEAL_FIELD, created.key()), now);
            return store.replace(seen, mine).chain(won -> {
                if (!won) {
                    LOG.debugf("another registry instance stored a playground key first; %s is revoked",
                            created.id());
                    return keys.revoke(created.id()).onFailure().recoverWithNull()
                            .chain(() -> attempts > 1 ? adoptOrMake(attempts - 1)
                                    : Uni.createFrom().failure(new IllegalStateException(
                                            "the playground key changed under every attempt to store one")));
                }
                LOG.infof("playground key %s created (prefix %s)", created.id(), created.keyPrefix());
                current.set(new Known(created.id(), created.key(), now));
                return revokeOthers(created.id()).replaceWith(created.key());
            });
        });
    }

    private Uni<Void> revokeOthers(String keep) {
        return keys.listActive().chain(active -> {
            Uni<Void> revoked = Uni.createFrom().voidItem();
            for (var stale : active.stream().filter(k -> NAME.equals(k.name()) && !k.id().equals(keep)).toList()) {
                revoked = revoked.chain(() -> keys.revoke(stale.id()).onFailure().recoverWithNull());
            }
            return revoked;
        });
    }

    /** The stored key's clear text, or null when the secrets keys at hand do not open it. */
    private String open(PlaygroundKeyStore.Stored stored) {
        try {
            return secrets.cipher().open(NAME, SEAL_FIELD, stored.sealed());
        } catch (RuntimeException e) {
            LOG.infof("the stored playground key %s cannot be opened with the secrets keys at hand; a new one is made",
                    stored.apiKeyId());
            return null;
        }
    }

    /** Whether {@code key} is the current key and so new that the router may not know it yet. */
    public boolean propagating(String key) {
        Known known = current.get();
        return known != null && known.key().equals(key)
                && Duration.between(known.createdAt(), Instant.now()).compareTo(propagation) < 0;
    }

    /** The router rejected {@code key}: forgets it when it is no longer an active key. */
    public Uni<Void> rejected(String key) {
        Known known = current.get();
        if (known == null || !known.key().equals(key)) {
            return Uni.createFrom().voidItem();
        }
        return keys.listActive().invoke(active -> {
            if (active.stream().noneMatch(k -> k.id().equals(known.id()))) {
                LOG.infof("playground key %s is no longer active; a new one is made at the next send", known.id());
                current.compareAndSet(known, null);
            }
        }).replaceWithVoid();
    }
}
