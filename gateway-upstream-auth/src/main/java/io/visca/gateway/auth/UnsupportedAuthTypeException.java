package io.visca.gateway.auth;

/** An {@code auth.auth_type} this gateway does not know (the registry validates configs, so this is rare). */
public final class UnsupportedAuthTypeException extends UpstreamAuthException {

    private final String authType;

    public UnsupportedAuthTypeException(String authType) {
        super("unknown auth_type '" + authType + "'", null);
        this.authType = authType;
    }

    public String authType() {
        return authType;
    }
}
