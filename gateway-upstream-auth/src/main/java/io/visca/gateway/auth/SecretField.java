package io.visca.gateway.auth;

import io.visca.gateway.contracts.provider.AuthConfig;

/**
 * The provider config fields that may hold a literal secret the gateway keeps encrypted at rest (the ones the
 * registry's admin API reads as {@code ********}). {@code username} and {@code client_id} are not secret; custom
 * request headers take credentials only as {@code ${NAME}} references.
 */
public enum SecretField {

    API_KEY("auth.api_key"),
    PASSWORD("auth.password"),
    CLIENT_SECRET("auth.client_secret");

    private final String path;

    SecretField(String path) {
        this.path = path;
    }

    /** The field's path in the provider config, e.g. {@code auth.api_key}: part of what a sealed value is bound to. */
    public String path() {
        return path;
    }

    /** The field's value in {@code auth}, null when {@code auth} is. */
    public String get(AuthConfig auth) {
        if (auth == null) {
            return null;
        }
        return switch (this) {
            case API_KEY -> auth.apiKey();
            case PASSWORD -> auth.password();
            case CLIENT_SECRET -> auth.clientSecret();
        };
    }

    /** {@code auth} with this field set to {@code value}. */
    public AuthConfig with(AuthConfig auth, String value) {
        return new AuthConfig(auth.authType(), this == API_KEY ? value : auth.apiKey(), auth.headerName(),
                auth.username(), this == PASSWORD ? value : auth.password(), auth.tokenUrl(), auth.clientId(),
                this == CLIENT_SECRET ? value : auth.clientSecret(), auth.scope());
    }
}
