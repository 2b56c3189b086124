package io.visca.gateway.registry.dashboard.session;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/**
 * Sends every dashboard request without a valid session (absent, forged, expired, or logged out on any instance:
 * one primary-key read in {@link LoggedOutSessions} per request) to the login: a 303 to {@code /login?next=<path>}, or for
 * htmx requests a 401 with {@code HX-Redirect: /login}. Every dashboard response gets a restrictive Content
 * Security Policy and is never cached. Resources not marked {@link Dashboard} are left to the bearer token filter.
 */
public class DashboardSessionFilter {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private final DashboardSessions sessions;
    private final LoggedOutSessions loggedOut;

    DashboardSessionFilter(DashboardSessions sessions, LoggedOutSessions loggedOut) {
        this.sessions = sessions;
        this.loggedOut = loggedOut;
    }

    /** The lookup goes through the reactive client, which is fine on the event loop and on a worker alike. */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> requireSession(SimpleResourceInfo resource, HttpServerRequest request) {
        if (!isDashboard(resource) || resource.getMethodName() == null || isPublic(resource)) {
            return Uni.createFrom().nullItem();
        }
        Cookie cookie = request.getCookie(DashboardSessions.COOKIE);
        DashboardSessions.Session session = sessions.verify(cookie == null ? null : cookie.getValue());
        if (session == null) {
            return Uni.createFrom().item(toLogin(request));
        }
        return loggedOut.contains(session).map(out -> out ? toLogin(request) : null);
    }

    private static Response toLogin(HttpServerRequest request) {
        if (request.getHeader("HX-Request") != null) {
            return Response.status(401).header("HX-Redirect", "/login").build();
        }
        String next = request.uri();
        return Response.seeOther(URI.create("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)))
                .build();
    }

    @ServerResponseFilter
    public void securityHeaders(SimpleResourceInfo resource, jakarta.ws.rs.container.ContainerResponseContext response) {
        if (isDashboard(resource)) {
            response.getHeaders().putSingle("Content-Security-Policy", CSP);
            response.getHeaders().putSingle("X-Frame-Options", "DENY");
            response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
            response.getHeaders().putSingle("Referrer-Policy", "same-origin");
            response.getHeaders().putSingle("Cache-Control", "no-store");
        }
    }

    static boolean isDashboard(SimpleResourceInfo resource) {
        return resource != null && resource.getResourceClass() != null
                && resource.getResourceClass().isAnnotationPresent(Dashboard.class);
    }

    private static boolean isPublic(SimpleResourceInfo resource) {
        for (var method : resource.getResourceClass().getDeclaredMethods()) {
            if (method.getName().equals(resource.getMethodName())
                    && method.isAnnotationPresent(Dashboard.PublicPage.class)) {
                return true;
            }
        }
        return false;
    }
}
