package io.visca.gateway.registry.provider.mapping;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.registry.json.Violations;

/**
 * Literal secrets ({@code api_key}, {@code password}, {@code client_secret}) never leave through the admin API:
 * reads show {@link SecretValues#REDACTED}, and a write that sends the placeholder back keeps the stored secret.
 * {@code ${NAME}} references are not secrets and are shown as written.
 * <p>
 * A stored secret is bound to where the provider's requests went when it was written: a write that keeps it with the
 * placeholder while changing that destination (an endpoint {@code base_url} that is not one of the stored ones, or a
 * different {@code auth.token_url}) is refused on that secret field, asking for the secret again. Otherwise whoever
 * may edit providers could send the stored key to a host of their choosing.
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
     * @param violations receives a violation for each placeholder that stands for no stored secret, and for each
     *        that would keep a stored secret while the provider's requests go somewhere new
     */
    public static ProviderConfig restore(ProviderConfig incoming, ProviderConfig stored, Violations violations) {
        AuthConfig auth = incoming.auth();
        if (auth == null) {
            return incoming;
        }
        AuthConfig old = stored == null ? null : stored.auth();
        String moved = stored == null ? null : destinationChange(incoming, stored);
        String apiKey = keep(auth.apiKey(), old, AuthConfig::apiKey, "auth.api_key", moved, violations);
        String password = keep(auth.password(), old, AuthConfig::password, "auth.password", moved, violations);
        String clientSecret = keep(auth.clientSecret(), old, AuthConfig::clientSecret, "auth.client_secret", moved,
                violations);
        return incoming.withAuth(new AuthConfig(auth.authType(), apiKey, auth.headerName(), auth.username(), password,
                auth.tokenUrl(), auth.clientId(), clientSecret, auth.scope()));
    }

    /**
     * What sends the provider's requests somewhere the stored secrets never went, in words, or null: the first
     * endpoint whose {@code base_url} is not one of the stored ones, or a changed {@code auth.token_url}.
     */
    static String destinationChange(ProviderConfig incoming, ProviderConfig stored) {
        Set<String> before = urls(stored.endpoints());
        List<EndpointConfig> after = incoming.endpoints() == null ? List.of() : incoming.endpoints();
        for (int i = 0; i < after.size(); i++) {
            String url = after.get(i).baseUrl();
            if (url != null && !before.contains(url)) {
                return "endpoints[" + i + "].base_url " + url + " is not one of the provider's stored endpoints";
            }
        }
        String tokenUrl = incoming.auth() == null ? null : incoming.auth().tokenUrl();
        String storedTokenUrl = stored.auth() == null ? null : stored.auth().tokenUrl();
        if (tokenUrl != null && !Objects.equals(tokenUrl, storedTokenUrl)) {
            return "auth.token_url changed to " + tokenUrl;
        }
        return null;
    }

    private static Set<String> urls(List<EndpointConfig> endpoints) {
        return endpoints == null ? Set.of()
                : endpoints.stream().map(EndpointConfig::baseUrl).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    /** The value to store for one secret field of an incoming document. */
    private static String keep(String value, AuthConfig old, Function<AuthConfig, String> field, String path,
            String moved, Violations violations) {
        if (!SecretValues.REDACTED.equals(value)) {
            return value;
        }
        String previous = old == null ? null : field.apply(old);
        if (SecretValues.isLiteral(previous) && moved != null) {
            violations.add(path, "'" + SecretValues.REDACTED + "' keeps the stored secret, which is bound to where "
                    + "the provider's requests went, but " + moved + ": send the secret again (or a ${NAME} "
                    + "reference) to use it there");
            return value;
        }
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
