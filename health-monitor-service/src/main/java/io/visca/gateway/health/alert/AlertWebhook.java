package io.visca.gateway.health.alert;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.visca.gateway.contracts.event.ProviderHealthChanged;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.health.upstream.ProbeHttp;

/**
 * Sends each transition to {@code health.alert.webhook-url} ({@code HEALTH_ALERT_WEBHOOK_URL}), when set: a POST of
 * the {@code provider-health-changed} event as JSON, without blocking. An attempt that fails (no answer in time, or
 * not a 2xx) is retried up to {@code max-attempts} in all, the delay doubling from {@code initial-backoff}; a
 * receiver sees the same {@code event_id} again. Logs name the webhook by scheme, host and port only: its path and
 * query often hold a token.
 */
@Singleton
public class AlertWebhook {

    private static final Logger LOG = Logger.getLogger(AlertWebhook.class);

    private final Vertx vertx;
    private final ProbeHttp http;
    private final ObjectMapper json;
    private final HealthConfig.Alert config;
    private final String url;
    private final String shownAs;

    @Inject
    public AlertWebhook(Vertx vertx, ProbeHttp http, ObjectMapper json, HealthConfig config) {
        this.vertx = vertx;
        this.http = http;
        this.json = json;
        this.config = config.alert();
        String configured = this.config.webhookUrl().map(String::trim).filter(u -> !u.isEmpty()).orElse(null);
        if (configured != null && !isHttpUrl(configured)) {
            LOG.warn("health.alert.webhook-url (HEALTH_ALERT_WEBHOOK_URL) is not an absolute http(s) URL: no alerts");
            configured = null;
        }
        this.url = configured;
        this.shownAs = url == null ? null : origin(url);
        if (url != null) {
            LOG.infof("health transitions are posted to the alert webhook at %s", shownAs);
        }
    }

    public boolean enabled() {
        return url != null;
    }

    /** Posts the event soon (with retries); returns at once. */
    public void send(ProviderHealthChanged event) {
        if (url == null) {
            return;
        }
        Buffer body;
        try {
            body = Buffer.buffer(json.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            LOG.errorf("alert for %s not sent: the event could not be written as JSON", event.key());
            return;
        }
        attempt(event, body, 1, config.initialBackoff().toMillis());
    }

    private void attempt(ProviderHealthChanged event, Buffer body, int attempt, long nextDelayMs) {
        long timeoutMs = Math.max(1, config.timeout().toMillis());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .setConnectTimeout(timeoutMs).setIdleTimeout(timeoutMs).setFollowRedirects(false)
                .putHeader("content-type", "application/json").putHeader("user-agent", "visca-health-monitor");
        http.client().request(options).compose(request -> request.send(body)
                .compose(response -> response.end().map(ignored -> response.statusCode())))
                .compose(status -> status >= 200 && status <= 299 ? Future.succeededFuture(status)
                        : Future.failedFuture("HTTP " + status))
                .onComplete(done -> {
                    if (done.succeeded()) {
                        if (attempt > 1) {
                            LOG.infof("alert for %s (%s) delivered to %s on attempt %d", event.key(), event.status(),
                                    shownAs, attempt);
                        }
                        return;
                    }
                    String why = done.cause().getMessage() == null ? done.cause().getClass().getSimpleName()
                            : done.cause().getMessage().replace(url, shownAs);
                    if (attempt >= config.maxAttempts()) {
                        LOG.warnf("alert for %s (%s) not delivered to %s after %d attempts: %s", event.key(),
                                event.status(), shownAs, attempt, why);
                        return;
                    }
                    LOG.debugf("alert for %s to %s failed (attempt %d): %s; retrying in %d ms", event.key(), shownAs,
                            attempt, why, nextDelayMs);
                    vertx.setTimer(Math.max(1, nextDelayMs),
                            id -> attempt(event, body, attempt + 1, nextDelayMs * 2));
                });
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() != null && ("http".equalsIgnoreCase(uri.getScheme())
                    || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code scheme://host[:port]} of a URL; its path, query and any user info are left out. */
    static String origin(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                return "(an invalid URL)";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "(an invalid URL)";
        }
    }
}
