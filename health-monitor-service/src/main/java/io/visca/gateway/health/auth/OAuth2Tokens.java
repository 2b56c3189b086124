package io.visca.gateway.health.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.health.probe.ProbeFailure;
import io.visca.gateway.health.probe.ProbeHttp;

/**
 * OAuth2 client-credentials tokens (RFC 6749 section 4.4) for probes, one per token URL, client and scope: fetched on
 * first use and kept until shortly before they expire, or until an endpoint rejects one. Probes that need one while
 * it is being fetched share that fetch. The client authenticates with HTTP Basic (section 2.3.1).
 */
@Singleton
public class OAuth2Tokens {

    private static final Logger LOG = Logger.getLogger(OAuth2Tokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A token is renewed when this little of its life is left (or a tenth of it, if shorter). */
    private static final long RENEW_AHEAD_NANOS = 60_000_000_000L;

    private final ProbeHttp http;
    private final long timeoutMs;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    @Inject
    public OAuth2Tokens(ProbeHttp http, HealthConfig config) {
        this.http = http;
        this.timeoutMs = Math.max(1, config.probe().tokenTimeout().toMillis());
    }

    private static final class Entry {
        volatile String token;
        volatile long renewAt;
        Future<String> fetching;
    }

    Future<String> token(AuthConfig auth, Secrets secrets) {
        String clientId = secrets.resolve("auth.client_id", auth.clientId());
        String clientSecret = secrets.resolve("auth.client_secret", auth.clientSecret());
        Entry entry = entries.computeIfAbsent(key(auth), k -> new Entry());
        String current = entry.token;
        if (current != null && System.nanoTime() < entry.renewAt) {
            return Future.succeededFuture(current);
        }
        return fetch(entry, auth, clientId, clientSecret);
    }

    void forget(AuthConfig auth) {
        Entry entry = entries.get(key(auth));
        if (entry != null) {
            entry.token = null;
        }
    }

    private static String key(AuthConfig auth) {
        return auth.tokenUrl() + '\n' + auth.clientId() + '\n' + (auth.scope() == null ? "" : auth.scope());
    }

    private Future<String> fetch(Entry entry, AuthConfig auth, String clientId, String clientSecret) {
        synchronized (entry) {
            if (entry.fetching != null) {
                return entry.fetching;
            }
            StringBuilder form = new StringBuilder("grant_type=client_credentials");
            if (auth.scope() != null && !auth.scope().isBlank()) {
                form.append("&scope=").append(urlEncode(auth.scope()));
            }
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(auth.tokenUrl())
                    .setConnectTimeout(timeoutMs).setIdleTimeout(timeoutMs)
                    .putHeader("content-type", "application/x-www-form-urlencoded")
                    .putHeader("accept", "application/json")
                    .putHeader("authorization", ProbeCredentials.basic(urlEncode(clientId), urlEncode(clientSecret)));
            String call = "OAuth2 token request to " + auth.tokenUrl();
            long started = System.nanoTime();
            Future<String> fetched = http.client().request(options)
                    .compose(request -> request.send(Buffer.buffer(form.toString())))
                    .compose(response -> response.body().map(body -> read(call, response.statusCode(), body)))
                    .recover(failure -> Future.failedFuture(failure instanceof ProbeFailure ? failure
                            : new ProbeFailure(call + " failed: " + failure.getClass().getSimpleName()
                                    + (failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")"))))
                    .map(granted -> {
                        long lifetime = granted.expiresInSeconds * 1_000_000_000L;
                        entry.renewAt = started + lifetime - Math.min(RENEW_AHEAD_NANOS, lifetime / 10);
                        entry.token = granted.token;
                        return granted.token;
                    });
            entry.fetching = fetched;
            fetched.onComplete(done -> {
                synchronized (entry) {
                    entry.fetching = null;
                }
                if (done.failed()) {
                    LOG.debugf("%s", done.cause().getMessage());
                }
            });
            return fetched;
        }
    }

    private record Granted(String token, long expiresInSeconds) {
    }

    private static Granted read(String call, int status, Buffer body) {
        JsonNode json;
        try {
            json = JSON.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            json = JSON.createObjectNode();
        }
        if (status != 200 || json == null || !json.path("access_token").isTextual()) {
            String error = json == null ? "" : json.path("error").asText("");
            throw new ProbeFailure(call + " answered HTTP " + status + (error.isEmpty() ? "" : " (" + error + ")")
                    + (status == 200 ? " without an access_token" : ""));
        }
        return new Granted(json.path("access_token").asText(), Math.max(1, json.path("expires_in").asLong(3600)));
    }

    private static String urlEncode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
