package io.visca.gateway.router.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.router.proxy.GatewayError;
import io.visca.gateway.router.routing.ProviderRuntime;

/**
 * The headers that authenticate a call to a provider, per {@code auth.auth_type}: {@code bearer}, {@code header}
 * (any header name), {@code basic}, {@code none}, and {@code oauth2_client_credentials} (a cached token). Secrets
 * are resolved from the router's environment for each call and live only in the returned headers.
 */
@Singleton
public class UpstreamCredentials {

    private static final MultiMap NONE = MultiMap.caseInsensitiveMultiMap();

    private final Secrets secrets;
    private final OAuth2Tokens tokens;

    @Inject
    public UpstreamCredentials(OAuth2Tokens tokens) {
        this(Secrets.fromEnvironment(), tokens);
    }

    UpstreamCredentials(Secrets secrets, OAuth2Tokens tokens) {
        this.secrets = secrets;
        this.tokens = tokens;
    }

    /** Fails with a {@link GatewayError} when a secret is missing or a token cannot be had. */
    public Future<MultiMap> headers(ProviderRuntime provider) {
        AuthConfig auth = provider.config().auth();
        if (auth == null || auth.authType() == null || AuthConfig.NONE.equals(auth.authType())) {
            return Future.succeededFuture(NONE);
        }
        String name = provider.name();
        try {
            return switch (auth.authType()) {
                case AuthConfig.BEARER -> Future.succeededFuture(
                        single("authorization", "Bearer " + secrets.resolve(name, "auth.api_key", auth.apiKey())));
                case AuthConfig.HEADER -> Future.succeededFuture(
                        single(auth.headerName(), secrets.resolve(name, "auth.api_key", auth.apiKey())));
                case AuthConfig.BASIC -> Future.succeededFuture(single("authorization",
                        basic(secrets.resolve(name, "auth.username", auth.username()),
                                secrets.resolve(name, "auth.password", auth.password()))));
                case AuthConfig.OAUTH2_CLIENT_CREDENTIALS -> tokens.token(name, auth, secrets)
                        .map(token -> single("authorization", "Bearer " + token));
                default -> Future.failedFuture(new GatewayError(502, GatewayError.UPSTREAM, "provider_misconfigured",
                        null, "Provider '" + name + "' has an unknown auth_type '" + auth.authType() + "'.", 0,
                        true));
            };
        } catch (GatewayError e) {
            return Future.failedFuture(e);
        }
    }

    static String basic(String user, String password) {
        String pair = (user == null ? "" : user) + ":" + (password == null ? "" : password);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static MultiMap single(String name, String value) {
        return MultiMap.caseInsensitiveMultiMap().set(name, value);
    }
}
