package io.visca.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.visca.gateway.contracts.provider.AuthConfig;

/**
 * The headers that authenticate a call to a provider, per {@code auth.auth_type}: {@code bearer}
 * ({@code authorization: Bearer api_key}), {@code header} ({@code header_name: api_key}), {@code basic}, {@code none}
 * (also a missing auth or type), and {@code oauth2_client_credentials} ({@code authorization: Bearer} a token from
 * {@link OAuth2TokenCache}). Secrets are resolved for each call and live only in the returned headers.
 * <p>
 * Built for a hot path: no blocking, nothing allocated for {@code none}, and a completed future at once unless a
 * token has to be fetched.
 */
public final class UpstreamAuthHeaders {

    /** What {@code none} answers: one shared empty map, which callers must not change. */
    public static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap();

    private static final Future<MultiMap> NONE = Future.succeededFuture(NO_HEADERS);

    private final SecretResolver secrets;
    private final OAuth2TokenCache tokens;

    public UpstreamAuthHeaders(SecretResolver secrets, OAuth2TokenCache tokens) {
        this.secrets = secrets;
        this.tokens = tokens;
    }

    /**
     * @return lower-case header names to values: a new map the caller may change, except {@link #NO_HEADERS} for
     *         {@code none}; fails (never throws) with a {@link MissingSecretException}, a
     *         {@link ForbiddenSecretException}, a {@link TokenRequestException} or an
     *         {@link UnsupportedAuthTypeException}
     */
    public Future<MultiMap> headers(AuthConfig auth) {
        if (auth == null || auth.authType() == null || AuthConfig.NONE.equals(auth.authType())) {
            return NONE;
        }
        try {
            return switch (auth.authType()) {
                case AuthConfig.BEARER -> Future.succeededFuture(
                        single("authorization", "Bearer " + secrets.resolve("auth.api_key", auth.apiKey())));
                case AuthConfig.HEADER -> Future.succeededFuture(
                        single(auth.headerName(), secrets.resolve("auth.api_key", auth.apiKey())));
                case AuthConfig.BASIC -> Future.succeededFuture(single("authorization",
                        basic(secrets.resolve("auth.username", auth.username()),
                                secrets.resolve("auth.password", auth.password()))));
                case AuthConfig.OAUTH2_CLIENT_CREDENTIALS -> tokens.token(auth)
                        .map(token -> single("authorization", "Bearer " + token));
                default -> Future.failedFuture(new UnsupportedAuthTypeException(auth.authType()));
            };
        } catch (UpstreamAuthException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * The secrets {@code auth} needs that are not provided to this service ({@link SecretResolver#unset}): the
     * variables' names in the order of the auth fields, empty when every one is set, for {@code none}, and for
     * literals. A provider with such a name has <em>no credentials</em> here: routing skips it and probes leave it
     * alone, instead of calling it to fail.
     */
    public static List<String> unsetSecrets(SecretResolver secrets, AuthConfig auth) {
        if (auth == null || auth.authType() == null) {
            return List.of();
        }
        List<String> fields = switch (auth.authType()) {
            case AuthConfig.BEARER, AuthConfig.HEADER -> Arrays.asList(auth.apiKey());
            case AuthConfig.BASIC -> Arrays.asList(auth.username(), auth.password());
            case AuthConfig.OAUTH2_CLIENT_CREDENTIALS -> Arrays.asList(auth.clientId(), auth.clientSecret());
            default -> List.of();
        };
        List<String> unset = null;
        for (String field : fields) {
            String name = secrets.unset(field);
            if (name != null) {
                unset = unset == null ? new ArrayList<>(2) : unset;
                if (!unset.contains(name)) {
                    unset.add(name);
                }
            }
        }
        return unset == null ? List.of() : unset;
    }

    /**
     * The endpoint refused the credentials (HTTP 401 or 403): an OAuth2 token is dropped, so that the next call
     * fetches a new one. Other auth types have nothing to drop.
     */
    public void rejected(AuthConfig auth) {
        if (auth != null && AuthConfig.OAUTH2_CLIENT_CREDENTIALS.equals(auth.authType())) {
            tokens.invalidate(auth);
        }
    }

    /** {@code Basic base64(user:password)} (RFC 7617), a null part read as empty. */
    public static String basic(String user, String password) {
        String pair = (user == null ? "" : user) + ":" + (password == null ? "" : password);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static MultiMap single(String name, String value) {
        return MultiMap.caseInsensitiveMultiMap().set(name, value);
    }
}
