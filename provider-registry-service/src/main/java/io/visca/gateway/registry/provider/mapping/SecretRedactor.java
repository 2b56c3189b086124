package io.visca.gateway.registry.provider.mapping;

import java.util.function.Function;

import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.registry.json.Violations;

/**
 * Literal secrets ({@code api_key}, {@code password}, {@code client_secret}) never leave through the admin API:
 * reads show {@link SecretValues#REDACTED}, and a write that sends the placeholder back keeps the stored secret.
 * {@code ${NAME}} references are not secrets and are shown as written.
 */
public final class SecretRedactor {

    private SecretRedactor() {
    }

    /** The document as the admin API shows it. */
    public static ProviderConfig redact(ProviderConfig config) {
        AuthConfig auth = config.auth();
        if (auth == null) {
            return config;
        }
        return config.withAuth(new AuthConfig(auth.authType(), mask(auth.apiKey()), auth.headerName(),
                auth.username(), mask(auth.password()), auth.tokenUrl(), auth.clientId(), mask(auth.clientSecret()),
                auth.scope()));
    }

    /**
     * Replaces each placeholder of {@code incoming} with the literal {@code stored} holds for that field.
     *
     * @param stored the current document, or null for a create (where a placeholder is always an error)
     * @param violations receives a violation for each placeholder that stands for no stored secret
     */
    public static ProviderConfig restore(ProviderConfig incoming, ProviderConfig stored, Violations violations) {
        AuthConfig auth = incoming.auth();
        if (auth == null) {
            return incoming;
        }
        AuthConfig old = stored == null ? null : stored.auth();
        String apiKey = keep(auth.apiKey(), old, AuthConfig::apiKey, "auth.api_key", violations);
        String password = keep(auth.password(), old, AuthConfig::password, "auth.password", violations);
        String clientSecret = keep(auth.clientSecret(), old, AuthConfig::clientSecret, "auth.client_secret",
                violations);
        return incoming.withAuth(new AuthConfig(auth.authType(), apiKey, auth.headerName(), auth.username(), password,
                auth.tokenUrl(), auth.clientId(), clientSecret, auth.scope()));
    }

    /** The value to store for one secret field of an incoming document. */
    private static String keep(String value, AuthConfig old, Function<AuthConfig, String> field, String path,
            Violations violations) {
        if (!SecretValues.REDACTED.equals(value)) {
            return value;
        }
        String previous = old == null ? null : field.apply(old);
        if (SecretValues.isLiteral(previous)) {
            return previous;
        }
        violations.add(path, "'" + SecretValues.REDACTED + "' stands for the stored secret, but none is stored for "
                + "this field; send the secret or a ${NAME} reference");
        return value;
    }

    private static String mask(String value) {
        return SecretValues.isLiteral(value) ? SecretValues.REDACTED : value;
    }
}
