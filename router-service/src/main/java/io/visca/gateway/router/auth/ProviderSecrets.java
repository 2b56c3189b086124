package io.visca.gateway.router.auth;

import io.visca.gateway.auth.MissingSecretException;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.router.proxy.GatewayError;

/**
 * {@code ${NAME}} references of provider configs, resolved from the router's environment at call time by the shared
 * {@link SecretResolver}; literals pass through. A variable that is not set makes the provider
 * {@code provider_misconfigured} (502, so routing moves on to the next candidate), naming the variable, never a value.
 */
public final class ProviderSecrets {

    private static final SecretResolver ENVIRONMENT = SecretResolver.fromEnvironment();

    private ProviderSecrets() {
    }

    /**
     * @param field where the value is written in the provider config, e.g. {@code request.headers.X-Api-Key}
     * @throws GatewayError {@code provider_misconfigured} when the variable is not set
     */
    public static String resolve(String provider, String field, String value) {
        try {
            return ENVIRONMENT.resolve(field, value);
        } catch (MissingSecretException e) {
            throw misconfigured(provider, e);
        }
    }

    static GatewayError misconfigured(String provider, MissingSecretException missing) {
        return new GatewayError(502, GatewayError.UPSTREAM, "provider_misconfigured", null,
                "Provider '" + provider + "' is misconfigured: " + missing.getMessage() + " for the router.", 0, true);
    }
}
