package io.visca.gateway.health.auth;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.kit.secrets.SecretResolvers;

/**
 * The health monitor's {@link SecretResolver}, from {@code health.secrets.*}, built at startup by the service kit
 * ({@link SecretResolvers}). The monitor's service and admin tokens are refused as values, besides every setting named
 * like a credential.
 */
@Singleton
public class SecretResolverProducer {

    @Produces
    @Singleton
    @Startup
    SecretResolver secretResolver(HealthConfig config) {
        List<String> own = new ArrayList<>(List.of(config.serviceToken()));
        config.adminToken().ifPresent(own::add);
        return SecretResolvers.create(config.secrets(), own);
    }

    void close(@Disposes SecretResolver resolver) {
        resolver.close();
    }
}
