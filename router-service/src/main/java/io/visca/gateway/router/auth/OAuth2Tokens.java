package io.visca.gateway.router.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.router.adapter.UpstreamRequest;
import io.visca.gateway.router.proxy.GatewayError;
import io.visca.gateway.router.proxy.UpstreamClient;

/**
 * OAuth2 client-credentials tokens (RFC 6749 section 4.4), one per token URL, client and scope: fetched on first use,
 * cached until shortly before they expire and refreshed in the background while the current one is still good.
 * Concurrent requests share one fetch. The client authenticates with HTTP Basic (section 2.3.1).
 */
@Singleton
public class OAuth2Tokens {

    private static final Logger LOG = Logger.getLogger(OAuth2Tokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Refresh when this little of a token's life is left (or a tenth of it, if shorter). */
    private static final long REFRESH_AHEAD_NANOS = 60_000_000_000L;
    private static final int TOKEN_TIMEOUT_MS = 10_000;

    private final UpstreamClient http;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public OAuth2Tokens(UpstreamClient http) {
        this.http = http;
    }

    private static final class Entry {
        volatile String token;
        volatile long expiresAt;
        volatile long refreshAt;
        volatile Future<String> fetching;
    }

    Future<String> token(String provider, AuthConfig auth, Secrets secrets) {
        String clientId = secrets.resolve(provider, "auth.client_id", auth.clientId());
        String clientSecret = secrets.resolve(provider, "auth.client_secret", auth.clientSecret());
        String key = auth.tokenUrl() + '\n' + clientId + '\n' + (auth.scope() == null ? "" : auth.scope());
        Entry entry = entries.computeIfAbsent(key, k -> new Entry());
        long now = System.nanoTime();
        String current = entry.token;
        if (current != null && now < entry.expiresAt) {
            if (now >= entry.refreshAt) {
                fetch(entry, provider, auth, clientId, clientSecret);
            }
            return Future.succeededFuture(current);
        }
        return fetch(entry, provider, auth, clientId, clientSecret);
    }

    private synchronized Future<String> fetch(Entry entry, String provider, AuthConfig auth, String clientId,
            String clientSecret) {
        Future<String> inFlight = entry.fetching;
        if (inFlight != null) {
            return inFlight;
        }
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (auth.scope() != null && !auth.scope().isBlank()) {
            form.append("&scope=").append(URLEncoder.encode(auth.scope(), StandardCharsets.UTF_8));
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set("content-type", "application/x-www-form-urlencoded").set("accept", "application/json")
                .set("authorization", UpstreamCredentials.basic(urlEncode(clientId), urlEncode(clientSecret)));
        UpstreamRequest request = new UpstreamRequest(HttpMethod.POST, auth.tokenUrl(), headers,
                Buffer.buffer(form.toString()));
        long started = System.nanoTime();
        Future<String> fetched = http.send(request, TOKEN_TIMEOUT_MS, TOKEN_TIMEOUT_MS, null)
                .recover(failure -> Future.failedFuture(tokenError(provider, "the token endpoint is unreachable ("
                        + failure.getClass().getSimpleName() + ")")))
                .compose(response -> response.body().map(body -> read(provider, response, body)))
                .map(granted -> {
                    long lifetime = granted.expiresInSeconds * 1_000_000_000L;
                    entry.token = granted.token;
                    entry.expiresAt = started + lifetime;
                    entry.refreshAt = started + lifetime - Math.min(REFRESH_AHEAD_NANOS, lifetime / 10);
                    return granted.token;
                });
        entry.fetching = fetched;
        fetched.onComplete(done -> {
            entry.fetching = null;
            if (done.failed()) {
                LOG.warnf("OAuth2 token for provider '%s' failed: %s", provider, done.cause().getMessage());
            }
        });
        return fetched;
    }

    private record Granted(String token, long expiresInSeconds) {
    }

    private static Granted read(String provider, HttpClientResponse response, Buffer body) {
        JsonNode json;
        try {
            json = JSON.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            json = JSON.createObjectNode();
        }
        if (response.statusCode() != 200 || !json.path("access_token").isTextual()) {
            String error = json.path("error").asText("");
            throw tokenError(provider, "the token endpoint answered HTTP " + response.statusCode()
                    + (error.isEmpty() ? "" : " (" + error + ")"));
        }
        long expiresIn = json.path("expires_in").asLong(3600);
        return new Granted(json.path("access_token").asText(), Math.max(1, expiresIn));
    }

    private static GatewayError tokenError(String provider, String why) {
        return new GatewayError(502, GatewayError.UPSTREAM, "upstream_auth_failed", null,
                "Provider '" + provider + "': no OAuth2 access token: " + why, 0, true);
    }

    private static String urlEncode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
