package io.visca.gateway.health.auth;

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
import io.visca.gateway.health.config.HealthConfig;

/**
 * The health monitor's {@link SecretResolver}, from {@code health.secrets.*} ({@code GATEWAY_SECRET_NAMES},
 * {@code GATEWAY_SECRETS_DIR}, {@code GATEWAY_SECRETS_FROM_ENV}, {@code GATEWAY_SECRETS_REFRESH}). Built at startup,
 * on the main thread: the secrets directory is read there and then refreshed on a thread of its own, never on an
 * event loop. The monitor's own credentials (its service and admin tokens, every setting named like a credential) are
 * refused as values.
 */
@Singleton
public class SecretResolverProducer {

    @Produces
    @Singleton
    @Startup
    SecretResolver secretResolver(HealthConfig config) {
        HealthConfig.Secrets secrets = config.secrets();
        List<String> own = new ArrayList<>(ownCredentials(ConfigProvider.getConfig()));
        own.add(config.serviceToken());
        config.adminToken().ifPresent(own::add);
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
