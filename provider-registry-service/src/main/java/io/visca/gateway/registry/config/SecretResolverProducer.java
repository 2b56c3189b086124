package io.visca.gateway.registry.config;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.Startup;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.auth.SecretSettings;

/**
 * The registry's {@link SecretResolver}, for Test Connection (its policy also checks references when a provider is
 * saved), from {@code registry.secrets.*} ({@code GATEWAY_SECRET_NAMES}, {@code GATEWAY_SECRETS_DIR},
 * {@code GATEWAY_SECRETS_FROM_ENV}, {@code GATEWAY_SECRETS_REFRESH}). Built at startup, on the main thread: the secrets
 * directory is read there and then refreshed on a thread of its own, never on an event loop. The registry's own
 * credentials (its admin and service tokens, its database password, every setting named like a credential) are
 * refused as values.
 */
@Singleton
public class SecretResolverProducer {

    @Produces
    @Singleton
    @Startup
    SecretResolver secretResolver(RegistryConfig config) {
        RegistryConfig.Secrets secrets = config.secrets();
        List<String> own = new ArrayList<>(ownCredentials(ConfigProvider.getConfig()));
        own.add(config.adminToken());
        own.add(config.serviceToken());
        return new SecretSettings(secrets.names().orElse(null), secrets.dir().orElse(null), secrets.fromEnv(),
                secrets.refresh()).resolver(own);
    }

    void close(@Disposes SecretResolver resolver) {
        resolver.close();
    }

    /** Every setting named like a credential ({@link SecretSettings#ownCredentials}); unreadable ones are skipped. */
    static List<String> ownCredentials(Config config) {
        return SecretSettings.ownCredentials(config.getPropertyNames(), name -> {
            try {
                return config.getOptionalValue(name, String.class).orElse(null);
            } catch (RuntimeException e) {
                return null;
            }
        });
    }
}
