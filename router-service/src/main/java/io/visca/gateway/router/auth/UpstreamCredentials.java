package io.visca.gateway.router.auth;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.auth.ForbiddenSecretException;
import io.visca.gateway.auth.MissingSecretException;
import io.visca.gateway.auth.OAuth2TokenCache;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.auth.TokenEndpoint;
import io.visca.gateway.auth.TokenRequestException;
import io.visca.gateway.auth.UnsupportedAuthTypeException;
import io.visca.gateway.auth.UpstreamAuthException;
import io.visca.gateway.auth.UpstreamAuthHeaders;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.outbound.OutboundRefusedException;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamClient;
import io.visca.gateway.router.upstream.UpstreamRequest;

/**
 * The headers that authenticate a call to a provider, from the shared {@link UpstreamAuthHeaders}: {@code bearer},
 * {@code header} (any header name), {@code basic}, {@code none}, and {@code oauth2_client_credentials} (a cached
 * token, refreshed in the background, fetched through {@link UpstreamClient}). Secrets are resolved by the router's
 * {@link SecretResolver} (secret files, the environment) for each call and live only in the returned headers; a
 * refused reference sends nothing. Literals were decrypted when the
 * snapshot was taken in. Failures become {@link GatewayError}s.
 */
@Singleton
public class UpstreamCredentials {

    private static final Logger LOG = Logger.getLogger(UpstreamCredentials.class);
    private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(10);

    private final UpstreamAuthHeaders auth;

    @Inject
    public UpstreamCredentials(SecretResolver secrets, UpstreamClient http) {
        this(secrets, tokenEndpoint(http));
    }

    UpstreamCredentials(SecretResolver secrets, TokenEndpoint tokenEndpoint) {
        this.auth = new UpstreamAuthHeaders(secrets, new OAuth2TokenCache(tokenEndpoint, secrets, TOKEN_TIMEOUT));
    }

    /**
     * Completes at once unless an OAuth2 token has to be fetched; the map is read-only ({@code none} shares one).
     * Fails with a {@link GatewayError} when a secret is missing or refused, or a token cannot be had.
     *
     * @param secretsProblem why the provider's encrypted secrets could not be opened, or null
     */
    public Future<MultiMap> headers(ProviderConfig provider, String secretsProblem) {
        if (secretsProblem != null) {
            return Future.failedFuture(new GatewayError(Failure.PROVIDER_MISCONFIGURED,
                    "Provider '" + provider.name() + "' is misconfigured for the router: " + secretsProblem + "."));
        }
        Future<MultiMap> headers = auth.headers(provider.auth());
        if (headers.succeeded()) {
            return headers;
        }
        String name = provider.name();
        return headers.recover(failure -> Future.failedFuture(error(name, failure)));
    }

    /** The upstream answered 401 or 403: an OAuth2 token is dropped, so that the next call fetches a new one. */
    public void rejected(ProviderConfig provider) {
        auth.rejected(provider.auth());
    }

    static Throwable error(String provider, Throwable failure) {
        if (failure instanceof MissingSecretException || failure instanceof ForbiddenSecretException) {
            return ProviderSecrets.misconfigured(provider, (UpstreamAuthException) failure);
        }
        if (failure instanceof UnsupportedAuthTypeException unsupported) {
            return new GatewayError(Failure.PROVIDER_MISCONFIGURED,
                    "Provider '" + provider + "' has an unknown auth_type '" + unsupported.authType() + "'.");
        }
        if (failure instanceof TokenRequestException token
                && token.getCause() instanceof OutboundRefusedException refused) {
            LOG.warnf("OAuth2 token for provider '%s' not requested: %s", provider, refused.getMessage());
            return new GatewayError(Failure.ENDPOINT_REFUSED, "Provider '" + provider
                    + "': its token_url was not called: " + refused.withoutAddress());
        }
        if (failure instanceof TokenRequestException token) {
            LOG.warnf("OAuth2 token for provider '%s' failed: %s", provider, token.getMessage());
            String why = token.problem() == TokenRequestException.Problem.UNREACHABLE
                    ? "the token endpoint is unreachable (" + token.getCause().getClass().getSimpleName() + ")"
                    : "the token endpoint answered HTTP " + token.status()
                            + (token.errorCode() == null ? "" : " (" + token.errorCode() + ")");
            return new GatewayError(Failure.CREDENTIALS_UNAVAILABLE,
                    "Provider '" + provider + "': no OAuth2 access token: " + why);
        }
        return failure;
    }

    private static TokenEndpoint tokenEndpoint(UpstreamClient http) {
        return (url, headers, form, timeout) -> {
            int timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
            UpstreamRequest request = new UpstreamRequest(HttpMethod.POST, url, headers, Buffer.buffer(form));
            return http.send(request, timeoutMs, timeoutMs, null).compose(response -> response.body()
                    .map(body -> new TokenEndpoint.Reply(response.statusCode(), body)));
        };
    }
}
