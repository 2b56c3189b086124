package io.visca.gateway.kit.admin.security;

/**
 * A service's side of {@link BearerTokenFilter}: one bean per service says which tokens open which resources, and how
 * its token throttle is set. Its constructor checks that the tokens the service requires are set (a missing one fails
 * the start).
 */
public interface BearerRealms {

    /**
     * The realm of a matched resource class, or null when the resource takes no bearer token (e.g. the registry's
     * dashboard pages, which take a session).
     *
     * @param resourceClass the matched resource class; null when none matched
     */
    Realm realmOf(Class<?> resourceClass);

    /** The service's {@code token-throttle} settings. */
    TokenThrottleConfig throttle();

    /**
     * @param name the realm of the {@code WWW-Authenticate} challenge, e.g. {@code visca-admin}
     * @param tokens the tokens that open it
     * @param accepted what the 401 of a missing token asks for, e.g. {@code the admin token (GATEWAY_ADMIN_TOKEN)}
     */
    record Realm(String name, ApiTokens tokens, String accepted) {
    }
}
