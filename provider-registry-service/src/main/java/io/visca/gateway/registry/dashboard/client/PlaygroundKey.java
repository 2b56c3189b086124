package io.visca.gateway.registry.dashboard.client;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.registry.apikey.service.ApiKeyService;

/**
 * The playground's own gateway key: created on first use and kept only in this process's memory. As its clear
 * text is lost with the process, a new process first revokes the keys of that name left by earlier ones, then
 * creates its own. When the router rejects the key, it is forgotten only if it is no longer active (revoked, e.g.
 * by another registry instance), so the next send makes a new one; an active key the router does not know yet
 * (it learns new keys with its next snapshot) is kept.
 */
@ApplicationScoped
public class PlaygroundKey {

    public static final String NAME = "dashboard-playground";
    private static final Logger LOG = Logger.getLogger(PlaygroundKey.class);

    private final ApiKeyService keys;
    private final AtomicReference<Created> current = new AtomicReference<>();

    private record Created(String id, String key) {
        @Override
        public String toString() {
            return "Created[id=" + id + ", key=<masked>]";
        }
    }

    PlaygroundKey(ApiKeyService keys) {
        this.keys = keys;
    }

    public Uni<String> get() {
        Created known = current.get();
        if (known != null) {
            return Uni.createFrom().item(known.key());
        }
        return keys.listActive()
                .chain(active -> {
                    Uni<Void> revoked = Uni.createFrom().voidItem();
                    for (var stale : active.stream().filter(k -> NAME.equals(k.name())).toList()) {
                        revoked = revoked.chain(() -> keys.revoke(stale.id())
                                .onFailure().recoverWithNull());
                    }
                    return revoked;
                })
                .chain(() -> keys.create(NAME))
                .map(created -> {
                    LOG.infof("playground key %s created (prefix %s)", created.id(), created.keyPrefix());
                    current.set(new Created(created.id(), created.key()));
                    return created.key();
                });
    }

    /** The router rejected {@code key}: forgets it when it is no longer an active key. */
    public Uni<Void> rejected(String key) {
        Created known = current.get();
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
