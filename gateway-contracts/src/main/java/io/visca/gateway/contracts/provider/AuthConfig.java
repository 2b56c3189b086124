package io.visca.gateway.contracts.provider;

/**
 * How the gateway authenticates to a provider. Every secret field holds either a {@code ${NAME}} reference, read
 * from the calling service's environment at call time, or a literal. {@link #toString()} never shows a secret.
 *
 * @param authType one of {@link #AUTH_TYPES}
 * @param headerName for {@code header}: the header that carries {@code api_key} (e.g. {@code x-api-key})
 */
public record AuthConfig(
        String authType,
        String apiKey,
        String headerName,
        String username,
        String password,
        String tokenUrl,
        String clientId,
        String clientSecret,
        String scope) {

    public static final String BEARER = "bearer";
    public static final String HEADER = "header";
    public static final String BASIC = "basic";
    public static final String NONE = "none";
    public static final String OAUTH2_CLIENT_CREDENTIALS = "oauth2_client_credentials";
    public static final java.util.List<String> AUTH_TYPES = java.util.List.of(BEARER, HEADER, BASIC, NONE,
            OAUTH2_CLIENT_CREDENTIALS);

    public static AuthConfig none() {
        return new AuthConfig(NONE, null, null, null, null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "AuthConfig[authType=" + authType + ", headerName=" + headerName + ", tokenUrl=" + tokenUrl
                + ", scope=" + scope + ", secrets=<masked>]";
    }
}
