package io.visca.gateway.registry.dashboard.session;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/**
 * What every dashboard page and action needs: the session of the request, the CSRF check of state-changing
 * requests (form field {@code csrf} or header {@code X-CSRF-Token}), and the data of the layout.
 */
@ApplicationScoped
public class DashboardPages {

    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Pattern PATHS = Pattern.compile(
            "/|/login|/logout|/(providers|routing|keys|teams|budget-alerts|monitoring|playground)(/.*)?");

    private final DashboardSessions sessions;

    DashboardPages(DashboardSessions sessions) {
        this.sessions = sessions;
    }

    /** Whether a request path belongs to the dashboard (its errors render as HTML pages). */
    public static boolean isDashboardPath(String path) {
        return path != null && PATHS.matcher(path).matches();
    }

    /** The request's session, or null. */
    public DashboardSessions.Session session(HttpServerRequest request) {
        Cookie cookie = request.getCookie(DashboardSessions.COOKIE);
        return sessions.verify(cookie == null ? null : cookie.getValue());
    }

    /**
     * @throws DashboardForbidden when neither the form value nor the header is the session's CSRF token
     */
    public DashboardSessions.Session requireCsrf(HttpServerRequest request, String formValue) {
        DashboardSessions.Session session = session(request);
        String header = request.getHeader(CSRF_HEADER);
        if (session == null
                || !(sessions.csrfValid(session, formValue) || sessions.csrfValid(session, header))) {
            throw new DashboardForbidden("the request did not carry this session's CSRF token");
        }
        return session;
    }

    /** Adds the layout's data: the active navigation entry and the CSRF token of the session. */
    public TemplateInstance page(TemplateInstance template, String nav, HttpServerRequest request) {
        DashboardSessions.Session session = session(request);
        String csrf = session == null ? null : sessions.csrfToken(session);
        return template.data("nav", nav)
                .data("csrf", csrf)
                .data("csrfHeaders", csrf == null ? null : "{\"" + CSRF_HEADER + "\": \"" + csrf + "\"}");
    }
}
