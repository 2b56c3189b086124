package io.visca.gateway.health.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.health.probe.ProbeFailure;

/**
 * The headers that authenticate a probe, per {@code auth.auth_type}: {@code bearer}, {@code header} (any header
 * name), {@code basic}, {@code none}, and {@code oauth2_client_credentials} (a cached token). Secrets are resolved
 * from the monitor's environment for each probe and live only in the returned headers.
 */
@Singleton
public class ProbeCredentials {

    private final Secrets secrets;
    private final OAuth2Tokens tokens;

    @Inject
    public ProbeCredentials(OAuth2Tokens tokens) {
        this(Secrets.fromEnvironment(), tokens);
    }

    ProbeCredentials(Secrets secrets, OAuth2Tokens tokens) {
        this.secrets = secrets;
        this.tokens = tokens;
    }

    /** Fails with a {@link ProbeFailure} when a secret is missing or a token cannot be had. */
    public Future<MultiMap> headers(AuthConfig auth) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (auth == null || auth.authType() == null || AuthConfig.NONE.equals(auth.authType())) {
            return Future.succeededFuture(headers);
        }
        try {
            return switch (auth.authType()) {
                case AuthConfig.BEARER -> Future.succeededFuture(
                        headers.set("authorization", "Bearer " + secrets.resolve("auth.api_key", auth.apiKey())));
                case AuthConfig.HEADER -> Future.succeededFuture(
                        headers.set(auth.headerName(), secrets.resolve("auth.api_key", auth.apiKey())));
                case AuthConfig.BASIC -> Future.succeededFuture(headers.set("authorization",
                        basic(secrets.resolve("auth.username", auth.username()),
                                secrets.resolve("auth.password", auth.password()))));
                case AuthConfig.OAUTH2_CLIENT_CREDENTIALS -> tokens.token(auth, secrets)
                        .map(token -> headers.set("authorization", "Bearer " + token));
                default -> Future.failedFuture(new ProbeFailure("unknown auth_type '" + auth.authType() + "'"));
            };
        } catch (ProbeFailure e) {
            return Future.failedFuture(e);
        }
    }

    /** The endpoint refused the credentials: an OAuth2 token is dropped, so the next probe fetches a new one. */
    public void rejected(AuthConfig auth) {
        if (auth != null && AuthConfig.OAUTH2_CLIENT_CREDENTIALS.equals(auth.authType())) {
            tokens.forget(auth);
        }
    }

    static String basic(String user, String password) {
        String pair = (user == null ? "" : user) + ":" + (password == null ? "" : password);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
