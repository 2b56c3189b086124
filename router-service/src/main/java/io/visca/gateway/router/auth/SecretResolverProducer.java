package io.visca.gateway.router.auth;

import java.util.List;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.kit.secrets.SecretResolvers;
import io.visca.gateway.router.config.RouterConfig;

/**
 * The router's {@link SecretResolver}, from {@code router.secrets.*}, built at startup by the service kit
 * ({@link SecretResolvers}), never on an event loop. The router's service token is refused as a value, besides every
 * setting named like a credential.
 */
@Singleton
public class SecretResolverProducer {

    @Produces
    @Singleton
    @Startup
    SecretResolver secretResolver(RouterConfig config) {
        return SecretResolvers.create(config.secrets(), List.of(config.registry().serviceToken()));
    }

    void close(@Disposes SecretResolver resolver) {
        resolver.close();
    }
}
