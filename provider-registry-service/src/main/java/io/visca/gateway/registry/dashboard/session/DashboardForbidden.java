package io.visca.gateway.registry.dashboard.session;

/** A state-changing dashboard request without the session's CSRF token: answered with the 403 page. */
public class DashboardForbidden extends RuntimeException {

    public DashboardForbidden(String message) {
        super(message, null, false, false);
    }
}
