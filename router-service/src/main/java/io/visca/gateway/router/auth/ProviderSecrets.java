package io.visca.gateway.router.auth;

import jakarta.inject.Singleton;

import io.visca.gateway.auth.MissingSecretException;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.auth.UpstreamAuthException;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.GatewayError;

/**
 * {@code ${NAME}} references of provider configs (custom request headers), resolved at call time by the router's
 * {@link SecretResolver}; literals pass through. A variable that is not set, or a reference the router refuses (a name
 * of the gateway's own settings or outside {@code GATEWAY_SECRET_NAMES}, a value holding the router's own
 * credentials), makes the provider {@code provider_misconfigured} (502, so routing moves on to the next candidate),
 * naming the variable, never a value.
 */
@Singleton
public class ProviderSecrets {

    private final SecretResolver secrets;

    public ProviderSecrets(SecretResolver secrets) {
        this.secrets = secrets;
    }

    /**
     * @param field where the value is written in the provider config, e.g. {@code request.headers.X-Api-Key}
     * @throws GatewayError {@code provider_misconfigured} when the variable is not set or the reference is refused
     */
    public String resolve(String provider, String field, String value) {
        try {
            return secrets.resolve(field, value);
        } catch (UpstreamAuthException e) {
            throw misconfigured(provider, e);
        }
    }

    /** For a {@link MissingSecretException} or a {@link io.visca.gateway.auth.ForbiddenSecretException}. */
    static GatewayError misconfigured(String provider, UpstreamAuthException failure) {
        return new GatewayError(Failure.PROVIDER_MISCONFIGURED,
                "Provider '" + provider + "' is misconfigured: " + failure.getMessage()
                        + (failure instanceof MissingSecretException ? " for the router." : "."));
    }
}
