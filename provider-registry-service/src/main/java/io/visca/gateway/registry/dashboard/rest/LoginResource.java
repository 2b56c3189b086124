package io.visca.gateway.registry.dashboard.rest;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.registry.dashboard.session.Dashboard;
import io.visca.gateway.registry.dashboard.session.DashboardPages;
import io.visca.gateway.registry.dashboard.session.DashboardSessions;
import io.visca.gateway.registry.dashboard.session.LoggedOutSessions;
import io.visca.gateway.registry.dashboard.session.LoginThrottle;
import io.visca.gateway.registry.security.RegistryRealms;

/** The dashboard's login with the admin token, its logout, and {@code /}. */
@Path("/")
@Dashboard
@Produces(MediaType.TEXT_HTML)
public class LoginResource {

    private static final Logger LOG = Logger.getLogger(LoginResource.class);

    private final RegistryRealms tokens;
    private final DashboardSessions sessions;
    private final DashboardPages pages;
    private final LoginThrottle throttle;
    private final LoggedOutSessions loggedOut;
    private final Template login;

    LoginResource(RegistryRealms tokens, DashboardSessions sessions, DashboardPages pages, LoginThrottle throttle,
            LoggedOutSessions loggedOut, @Location("dashboard/login.html") Template login) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.pages = pages;
        this.throttle = throttle;
        this.loggedOut = loggedOut;
        this.login = login;
    }

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/providers")).build();
    }

    @GET
    @Path("login")
    @Dashboard.PublicPage
    public Response loginPage(@RestQuery String next) {
        return Response.ok(login.data("next", safeNext(next)).data("error", null).data("nav", null)
                .data("csrf", null).data("csrfHeaders", null).render()).build();
    }

    @POST
    @Path("login")
    @Dashboard.PublicPage
    public Uni<Response> login(@RestForm String token, @RestForm String next, HttpServerRequest request) {
        // the connection's own address and scheme, or what a proxy of REGISTRY_TRUSTED_PROXIES forwarded (and only
        // such a proxy: see TrustedProxies)
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        String target = safeNext(next);
        boolean secure = "https".equalsIgnoreCase(request.scheme());
        return throttle.retryAfterSeconds(client).chain(retryAfter -> {
            if (retryAfter > 0) {
                LOG.warnf("dashboard login refused for %s: too many failed attempts", client);
                return Uni.createFrom().item(Response.status(429).header("Retry-After", Long.toString(retryAfter))
                        .entity(login.data("next", target)
                                .data("error", "Too many failed attempts; wait a minute and try again.")
                                .data("nav", null).data("csrf", null).data("csrfHeaders", null).render())
                        .build());
            }
            if (token == null || token.isEmpty() || !tokens.isAdmin(token)) {
                LOG.infof("dashboard login failed from %s", client);
                return throttle.failed(client).map(ignored -> Response.status(401).entity(login.data("next", target)
                        .data("error", "That is not the admin token.").data("nav", null).data("csrf", null)
                        .data("csrfHeaders", null).render())
                        .build());
            }
            NewCookie cookie = new NewCookie.Builder(DashboardSessions.COOKIE).value(sessions.issue()).path("/")
                    .httpOnly(true).secure(secure).sameSite(NewCookie.SameSite.STRICT)
                    .maxAge((int) sessions.ttlSeconds()).build();
            return throttle.succeeded(client).map(ignored -> Response
                    .seeOther(URI.create(target == null ? "/providers" : target)).cookie(cookie).build());
        });
    }

    /** Ends the session on every registry instance ({@link LoggedOutSessions}) and clears its cookie. */
    @POST
    @Path("logout")
    public Uni<Response> logout(@RestForm String csrf, HttpServerRequest request) {
        DashboardSessions.Session session = pages.requireCsrf(request, csrf);
        NewCookie cleared = new NewCookie.Builder(DashboardSessions.COOKIE).value("").path("/").httpOnly(true)
                .secure("https".equalsIgnoreCase(request.scheme())).sameSite(NewCookie.SameSite.STRICT).maxAge(0)
                .build();
        return loggedOut.add(session).map(ignored -> Response.seeOther(URI.create("/login")).cookie(cleared).build());
    }

    /** A local path to return to after the login, or null: never another origin. */
    static String safeNext(String next) {
        if (next == null || next.isEmpty() || next.length() > 2048 || !next.startsWith("/") || next.startsWith("//")
                || next.contains("\\") || next.startsWith("/login") || next.startsWith("/logout")
                || next.chars().anyMatch(c -> c < 0x21 || c == 0x7F)) {
            return null;
        }
        return next;
    }
}
