package io.visca.gateway.registry.provider.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.registry.instances.StartupLock;
import io.visca.gateway.registry.outbox.ChangeLog;
import io.visca.gateway.registry.outbox.OutboxRelay;
import io.visca.gateway.registry.provider.mapping.ProviderMapper;
import io.visca.gateway.registry.provider.mapping.StoredSecrets;
import io.visca.gateway.registry.provider.mapping.StoredSecrets.Resealed;
import io.visca.gateway.registry.provider.repository.ProviderRepository;

/**
 * At start, brings every stored literal secret under the current secrets key: values stored in clear (rows written
 * before secrets were encrypted) and values encrypted under a previous key ({@code GATEWAY_SECRETS_PREVIOUS_KEYS})
 * are encrypted anew. Each provider that changes is an ordinary provider change (its own transaction, revision and
 * {@code provider-changed} event), so routers and health monitors fetch the new values at once and a service that
 * holds only the new key can read them. A value that no key held opens is left as it is and logged (field, key id;
 * never the value). One line says how many were re-encrypted and whether the previous keys are still needed.
 */
@ApplicationScoped
public class SecretsReencryption {

    private static final Logger LOG = Logger.getLogger(SecretsReencryption.class);

    private final ProviderRepository providers;
    private final ProviderMapper mapper;
    private final StoredSecrets secrets;
    private final ChangeLog changes;
    private final OutboxRelay relay;
    private final StartupLock startupLock;

    SecretsReencryption(ProviderRepository providers, ProviderMapper mapper, StoredSecrets secrets, ChangeLog changes,
            OutboxRelay relay, StartupLock startupLock) {
        this.providers = providers;
        this.mapper = mapper;
        this.secrets = secrets;
        this.changes = changes;
        this.relay = relay;
        this.startupLock = startupLock;
    }

    /**
     * What one run did.
     *
     * @param providers providers written again
     * @param inClear values that were stored in clear
     * @param underPreviousKey values that were encrypted under a previous key
     * @param unreadable {@code provider: why} for each value no key held opens
     */
    public record Report(int providers, int inClear, int underPreviousKey, List<String> unreadable) {
    }

    void onStart(@Observes StartupEvent event) {
        try {
            // one instance at a time, so that one logs what it re-encrypted and the next finds nothing left
            log(startupLock.run("re-encrypting provider secrets", () -> {
                try {
                    return VertxContextSupport.subscribeAndAwait(this::reencrypt);
                } catch (Throwable e) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
                }
            }));
        } catch (Throwable e) {
            LOG.errorf(e, "re-encrypting the stored provider secrets failed; they stay as they were until the next "
                    + "start");
        }
    }

    /** Re-encrypts what needs it, one provider per transaction. */
    public Uni<Report> reencrypt() {
        return Panache.withSession(() -> providers.listByName()).chain(entities -> {
            List<String> stale = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            entities.forEach(entity -> {
                Resealed resealed = secrets.reseal(mapper.toConfig(entity));
                if (resealed.changed()) {
                    stale.add(entity.name);
                }
                unreadable.addAll(resealed.unreadable());
            });
            return Multi.createFrom().iterable(stale).onItem().transformToUniAndConcatenate(this::reencrypt)
                    .collect().asList()
                    .map(done -> {
                        List<Resealed> changed = done.stream().filter(r -> r != null && r.changed()).toList();
                        return new Report(changed.size(), changed.stream().mapToInt(Resealed::inClear).sum(),
                                changed.stream().mapToInt(Resealed::underPreviousKey).sum(), List.copyOf(unreadable));
                    });
        }).invoke(report -> {
            if (report.providers() > 0) {
                relay.trigger();
            }
        });
    }

    /** One provider, in a transaction that locks the revision and reads the row again. */
    private Uni<Resealed> reencrypt(String name) {
        return Panache.withTransaction(() -> changes.begin().chain(revision -> providers.findById(name)
                .chain(entity -> {
                    if (entity == null) {
                        return Uni.createFrom().nullItem();
                    }
                    Resealed resealed = secrets.reseal(mapper.toConfig(entity));
                    if (!resealed.changed()) {
                        return Uni.createFrom().item(resealed);
                    }
                    mapper.update(entity, resealed.config(), revision, Instant.now());
                    return changes.record(name, ChangeLog.UPDATED, revision).replaceWith(resealed);
                })));
    }

    private void log(Report report) {
        String key = secrets.cipher().keys().currentId();
        if (report.providers() > 0) {
            LOG.infof("re-encrypted %d provider secret(s) of %d provider(s) under secrets key %s (%d were stored in "
                    + "clear, %d under a previous key)", report.inClear() + report.underPreviousKey(),
                    report.providers(), key, report.inClear(), report.underPreviousKey());
        }
        report.unreadable().forEach(problem -> LOG.warnf("provider %s; it is kept as it is: send the secret again, "
                + "or start with the key it was encrypted under in GATEWAY_SECRETS_PREVIOUS_KEYS", problem));
        if (report.unreadable().isEmpty()) {
            boolean previous = secrets.cipher().keys().ids().size() > 1;
            LOG.infof("every stored provider secret is encrypted under secrets key %s%s", key,
                    previous ? "; the previous keys (GATEWAY_SECRETS_PREVIOUS_KEYS) are no longer needed" : "");
        }
    }
}
