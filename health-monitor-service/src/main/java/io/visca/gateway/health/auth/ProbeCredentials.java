package io.visca.gateway.health.auth;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.visca.gateway.auth.ForbiddenSecretException;
import io.visca.gateway.auth.MissingSecretException;
import io.visca.gateway.auth.OAuth2TokenCache;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.auth.TokenEndpoint;
import io.visca.gateway.auth.UpstreamAuthException;
import io.visca.gateway.auth.UpstreamAuthHeaders;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.health.upstream.ProbeFailure;
import io.visca.gateway.health.upstream.ProbeHttp;

/**
 * The headers that authenticate a probe, from the shared {@link UpstreamAuthHeaders}: {@code bearer}, {@code header}
 * (any header name), {@code basic}, {@code none}, and {@code oauth2_client_credentials} (a cached token, fetched
 * through the monitor's {@link ProbeHttp} client within {@code health.probe.token-timeout}). Secrets are resolved
 * by the monitor's {@link SecretResolver} (secret files, the environment) for each probe and live only in the returned
 * headers; a refused reference sends nothing. What goes wrong is a {@link ProbeFailure} whose message is the probe's
 * reason.
 */
@Singleton
public class ProbeCredentials {

    private final UpstreamAuthHeaders auth;
    private final SecretResolver secrets;

    @Inject
    public ProbeCredentials(SecretResolver secrets, ProbeHttp http, HealthConfig config) {
        this(secrets, tokenEndpoint(http), config.probe().tokenTimeout());
    }

    ProbeCredentials(SecretResolver secrets, TokenEndpoint tokenEndpoint, Duration tokenTimeout) {
        this.auth = new UpstreamAuthHeaders(secrets, new OAuth2TokenCache(tokenEndpoint, secrets, tokenTimeout));
        this.secrets = secrets;
    }

    /**
     * Why {@code auth} cannot be used by the health monitor at all, e.g. {@code no credentials (OPENAI_API_KEY not set
     * for the health monitor)}: a secret it needs is not provided (a built-in provider before its key is set). Such an
     * endpoint is not probed (nothing to learn from a call bound to fail, no DOWN and no alert for it); null when the
     * credentials are there.
     */
    public String missing(AuthConfig auth) {
        List<String> unset = UpstreamAuthHeaders.unsetSecrets(secrets, auth);
        return unset.isEmpty() ? null
                : "no credentials (" + String.join(", ", unset) + " not set for the health monitor)";
    }

    /** A map of its own, which the probe may add to; fails with a {@link ProbeFailure}. */
    public Future<MultiMap> headers(AuthConfig auth) {
        return this.auth.headers(auth).transform(done -> {
            if (done.failed()) {
                return Future.failedFuture(failure(done.cause()));
            }
            // auth_type none answers one shared empty map; the probe adds its user-agent to the map it gets
            MultiMap headers = done.result();
            return Future.succeededFuture(headers == UpstreamAuthHeaders.NO_HEADERS ? MultiMap.caseInsensitiveMultiMap()
                    : headers);
        });
    }

    /** The endpoint refused the credentials: an OAuth2 token is dropped, so the next probe fetches a new one. */
    public void rejected(AuthConfig auth) {
        this.auth.rejected(auth);
    }

    /**
     * The probe's reason: a missing variable is named for this service, a refused reference with the rule it breaks
     * ({@code auth.api_key references ${GATEWAY_SERVICE_TOKEN}, which is refused: ...}); the shared messages of token
     * failures ({@code OAuth2 token request to URL answered HTTP 401 (invalid_client)}) and unknown types are used as
     * they are.
     * Anything else is left to {@link io.visca.gateway.health.probe.ProbeFailures}.
     */
    static Throwable failure(Throwable cause) {
        if (cause instanceof MissingSecretException missing) {
            return new ProbeFailure(missing.getMessage() + " for the health monitor");
        }
        if (cause instanceof ForbiddenSecretException forbidden) {
            return new ProbeFailure(forbidden.getMessage() + " (by the health monitor)");
        }
        return cause instanceof UpstreamAuthException ? new ProbeFailure(cause.getMessage()) : cause;
    }

    private static TokenEndpoint tokenEndpoint(ProbeHttp http) {
        return (url, headers, form, timeout) -> {
            long timeoutMs = Math.max(1, timeout.toMillis());
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                    .setConnectTimeout(timeoutMs).setIdleTimeout(timeoutMs).setHeaders(headers);
            return http.upstream(options).compose(request -> request.send(form).compose(response -> response.body()
                    .map(body -> new TokenEndpoint.Reply(response.statusCode(), body))));
        };
    }
}
