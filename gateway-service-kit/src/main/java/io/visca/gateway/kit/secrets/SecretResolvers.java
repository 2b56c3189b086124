package io.visca.gateway.kit.secrets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.auth.SecretSettings;

/**
 * Makes a service's {@link SecretResolver} from its {@link SecretsConfig}. Each service that resolves references has
 * a producer that calls {@link #create} at startup, on the main thread: the secrets directory is read there and then
 * refreshed on a thread of its own, never on an event loop. The service's own credentials (the tokens it names, and
 * every setting named like a credential) are refused as values.
 */
public final class SecretResolvers {

    private SecretResolvers() {
    }

    /**
     * @param ownTokens the service's own tokens, refused as values besides the settings named like credentials
     * @throws IllegalArgumentException when {@code GATEWAY_SECRET_NAMES} is not a regular expression
     */
    public static SecretResolver create(SecretsConfig secrets, Collection<String> ownTokens) {
        List<String> own = new ArrayList<>(ownCredentials(ConfigProvider.getConfig()));
        ownTokens.stream().filter(token -> token != null && !token.isBlank()).forEach(own::add);
        return new SecretSettings(secrets.names().orElse(null), secrets.dir().orElse(null), secrets.fromEnv(),
                secrets.refresh()).resolver(own);
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
