package io.visca.gateway.registry.provider.outbound;

import java.time.Instant;

import io.quarkus.arc.Arc;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.registry.provider.mapping.ProviderDocumentParser;
import io.visca.gateway.registry.provider.mapping.ProviderMapper;
import io.visca.gateway.registry.provider.repository.ProviderRepository;

/**
 * Writes a provider straight into the database, past the API's checks: a provider stored before the outbound URL
 * policy existed, or under other settings, or of a type since removed. What the services then do with it is what the tests look
 * at.
 */
public final class StoredAnyway {

    private StoredAnyway() {
    }

    /** Parses {@code json} as the API does (without the URL policy) and stores it as the service stores a provider. */
    public static void store(String json) {
        store(new ProviderDocumentParser().parse(json).config());
    }

    /** Stores {@code config} as the service stores a provider, whatever it holds (a type no package registers...). */
    public static void store(ProviderConfig config) {
        ProviderMapper mapper = Arc.container().instance(ProviderMapper.class).get();
        ProviderRepository repository = Arc.container().instance(ProviderRepository.class).get();
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                    () -> repository.persist(mapper.toEntity(config, 0, Instant.now()))));
        } catch (Throwable e) {
            throw new AssertionError("storing " + config.name() + " failed", e);
        }
    }
}
