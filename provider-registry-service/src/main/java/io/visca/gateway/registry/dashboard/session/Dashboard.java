package io.visca.gateway.registry.dashboard.session;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class of the web dashboard: it takes a session cookie instead of a bearer token
 * ({@link DashboardSessionFilter}); methods marked {@link PublicPage} need no session (the login page).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Dashboard {

    /** A dashboard method that needs no session. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface PublicPage {
    }
}
