package io.visca.gateway.billing.alert.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * {@code BUDGET_ALERT_WEBHOOK_URL}, checked at start: an absolute http or https URL with a host and without user
 * info. A webhook URL often is a secret itself (a chat service's incoming hook has its token in the path), so no
 * message and no {@link #toString()} ever shows more than its scheme, host and port.
 */
record WebhookTarget(String url, String host, int port) {

    private static final String SETTING = "BUDGET_ALERT_WEBHOOK_URL (billing.alerts.webhook-url)";

    /** @throws IllegalStateException naming what is wrong (never quoting the URL) */
    static WebhookTarget parse(String value) {
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(SETTING + " is not a valid URL (it is not shown: it may hold a secret)");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalStateException(SETTING + " must be an absolute http:// or https:// URL, not "
                    + (scheme == null ? "a relative one" : "a " + shorten(scheme) + ": one"));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalStateException(SETTING + " has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalStateException(SETTING + " must not carry a user name or password; set "
                    + "BUDGET_ALERT_WEBHOOK_SECRET to sign the posts instead");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        String url = uri.toString();
        return new WebhookTarget(scheme + url.substring(scheme.length()), uri.getHost(), port);
    }

    @Override
    public String toString() {
        return url.substring(0, url.indexOf(':')) + "://" + host + ":" + port + "/...";
    }

    private static String shorten(String value) {
        return value.length() <= 16 ? value : value.substring(0, 16) + "...";
    }
}
