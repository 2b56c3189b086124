package io.visca.gateway.registry.config;

import java.util.List;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.kit.secrets.SecretResolvers;

/**
 * The registry's {@link SecretResolver}, for Test Connection (its policy also checks references when a provider is
 * saved), from {@code registry.secrets.*}, built at startup by the service kit ({@link SecretResolvers}). The
 * registry's admin and service tokens are refused as values, besides every setting named like a credential.
 */
@Singleton
public class SecretResolverProducer {

    @Produces
    @Singleton
    @Startup
    SecretResolver secretResolver(RegistryConfig config) {
        return SecretResolvers.create(config.secrets(), List.of(config.adminToken(), config.serviceToken()));
    }

    void close(@Disposes SecretResolver resolver) {
        resolver.close();
    }
}
