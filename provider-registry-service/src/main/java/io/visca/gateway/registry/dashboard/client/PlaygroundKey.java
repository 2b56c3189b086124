package io.visca.gateway.registry.dashboard.client;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.registry.apikey.service.ApiKeyService;

/**
 * The playground's own gateway key: created on first use and kept only in this process's memory. As its clear
 * text is lost with the process, a new process first revokes the keys of that name left by earlier ones, then
 * creates its own. A key the router rejects is forgotten, so the next send makes a new one.
 */
@ApplicationScoped
public class PlaygroundKey {

    public static final String NAME = "dashboard-playground";
    private static final Logger LOG = Logger.getLogger(PlaygroundKey.class);

    private final ApiKeyService keys;
    private final AtomicReference<String> current = new AtomicReference<>();

    PlaygroundKey(ApiKeyService keys) {
        this.keys = keys;
    }

    public Uni<String> get() {
        String key = current.get();
        if (key != null) {
            return Uni.createFrom().item(key);
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
                    current.set(created.key());
                    return created.key();
                });
    }

    /** Forgets a key the router rejected. */
    public void rejected(String key) {
        current.compareAndSet(key, null);
    }
}
