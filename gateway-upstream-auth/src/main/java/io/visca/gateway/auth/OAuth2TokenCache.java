package io.visca.gateway.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.visca.gateway.contracts.provider.AuthConfig;

/**
 * OAuth2 client-credentials tokens (RFC 6749 section 4.4), one per token URL, client and scope: fetched on first use
 * and cached until they expire. Shortly before that (a minute, or a tenth of the token's life if shorter) the next
 * caller starts a refresh in the background and still gets the current token. Callers that need a token while one is
 * being fetched share that fetch. An endpoint that rejects a token gets it dropped through {@link #invalidate}.
 * <p>
 * The client authenticates with HTTP Basic (section 2.3.1, id and secret form-encoded first) and asks for the
 * configured {@code scope}. Client id and secret are {@code ${NAME}} references or literals, resolved for each fetch
 * and never kept. Failures are {@link MissingSecretException}, {@link ForbiddenSecretException} (no request is made)
 * or {@link TokenRequestException}; a failed fetch is not cached, so the next caller tries again.
 */
public final class OAuth2TokenCache {

    private static final System.Logger LOG = System.getLogger(OAuth2TokenCache.class.getName());
    private static final long REFRESH_AHEAD_NANOS = 60_000_000_000L;
    private static final long DEFAULT_EXPIRES_IN_SECONDS = 3600;
    /** Longer lifetimes are cut to this, so that nanoseconds cannot overflow (about 100 years). */
    private static final long MAX_EXPIRES_IN_SECONDS = 100L * 365 * 24 * 3600;
    /** RFC 6749 section 5.2: error codes are plain ASCII words; anything else is not repeated. */
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    private final TokenEndpoint endpoint;
    private final SecretResolver secrets;
    private final Duration timeout;
    private final LongSupplier nanoClock;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param endpoint the service's HTTP client for token requests
     * @param secrets resolves {@code client_id} and {@code client_secret}
     * @param timeout how long one token request may take
     */
    public OAuth2TokenCache(TokenEndpoint endpoint, SecretResolver secrets, Duration timeout) {
        this(endpoint, secrets, timeout, System::nanoTime);
    }

    OAuth2TokenCache(TokenEndpoint endpoint, SecretResolver secrets, Duration timeout, LongSupplier nanoClock) {
        this.endpoint = endpoint;
        this.secrets = secrets;
        this.timeout = timeout;
        this.nanoClock = nanoClock;
    }

    private record Key(String tokenUrl, String clientId, String scope) {
    }

    /** A token and when it expires and should be refreshed ({@link System#nanoTime()} scale). */
    private record Grant(Future<String> token, long expiresAt, long refreshAt) {
    }

    private static final class Entry {
        volatile Grant grant;
        /** The fetch under way, or null; guarded by the entry. */
        Future<String> fetching;
    }

    /**
     * The access token for {@code auth} ({@code auth_type} {@code oauth2_client_credentials}). Completes at once
     * when a token is cached; never blocks.
     */
    public Future<String> token(AuthConfig auth) {
        Entry entry = entries.computeIfAbsent(new Key(auth.tokenUrl(), auth.clientId(), auth.scope()),
                key -> new Entry());
        Grant grant = entry.grant;
        long now = nanoClock.getAsLong();
        if (grant != null && now - grant.expiresAt < 0) {
            if (now - grant.refreshAt >= 0) {
                fetch(entry, auth, true);
            }
            return grant.token;
        }
        return fetch(entry, auth, false);
    }

    /** Drops the cached token for {@code auth}, e.g. when an endpoint answered 401: the next call fetches anew. */
    public void invalidate(AuthConfig auth) {
        Entry entry = entries.get(new Key(auth.tokenUrl(), auth.clientId(), auth.scope()));
        if (entry != null) {
            entry.grant = null;
        }
    }

    /** @param inBackground whether callers go on with the current token meanwhile (only failures of these are logged) */
    private Future<String> fetch(Entry entry, AuthConfig auth, boolean inBackground) {
        Promise<String> fetched = Promise.promise();
        synchronized (entry) {
            if (entry.fetching != null) {
                return entry.fetching;
            }
            entry.fetching = fetched.future();
        }
        long started = nanoClock.getAsLong();
        String tokenUrl = auth.tokenUrl();
        request(auth).transform(answer -> answer.succeeded() ? Future.succeededFuture(read(tokenUrl, answer.result()))
                : Future.failedFuture(answer.cause() instanceof UpstreamAuthException ? answer.cause()
                        : TokenRequestException.unreachable(tokenUrl, answer.cause())))
                .onComplete(done -> {
                    if (done.succeeded()) {
                        entry.grant = grant(done.result(), started);
                    } else if (inBackground) {
                        LOG.log(System.Logger.Level.WARNING, "OAuth2 token refresh failed, the current token is "
                                + "used until it expires: {0}", done.cause().getMessage());
                    }
                    synchronized (entry) {
                        entry.fetching = null;
                    }
                    fetched.handle(done.map(Granted::token));
                });
        return fetched.future();
    }

    /** The token request, or a failed future when a secret is missing or the endpoint threw instead of failing. */
    private Future<TokenEndpoint.Reply> request(AuthConfig auth) {
        try {
            String clientId = secrets.resolve("auth.client_id", auth.clientId());
            String clientSecret = secrets.resolve("auth.client_secret", auth.clientSecret());
            MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                    .set("content-type", "application/x-www-form-urlencoded").set("accept", "application/json")
                    .set("authorization", UpstreamAuthHeaders.basic(formEncode(clientId), formEncode(clientSecret)));
            String form = "grant_type=client_credentials";
            if (auth.scope() != null && !auth.scope().isBlank()) {
                form += "&scope=" + formEncode(auth.scope());
            }
            return endpoint.post(auth.tokenUrl(), headers, form, timeout);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private record Granted(String token, long expiresInSeconds) {
    }

    private static Granted read(String tokenUrl, TokenEndpoint.Reply reply) {
        int status = reply.status();
        JsonObject json;
        try {
            json = reply.body() == null ? null : new JsonObject(reply.body());
        } catch (RuntimeException e) {
            json = null;
        }
        if (status < 200 || status > 299) {
            Object error = json == null ? null : json.getValue("error");
            String code = error instanceof String s && ERROR_CODE.matcher(s).matches() ? s : null;
            throw TokenRequestException.answered(tokenUrl, TokenRequestException.Problem.ERROR_STATUS, status, code);
        }
        if (json == null) {
            throw TokenRequestException.answered(tokenUrl, TokenRequestException.Problem.NOT_JSON, status, null);
        }
        if (!(json.getValue("access_token") instanceof String token) || token.isBlank()) {
            throw TokenRequestException.answered(tokenUrl, TokenRequestException.Problem.NO_ACCESS_TOKEN, status,
                    null);
        }
        return new Granted(token, expiresIn(json.getValue("expires_in")));
    }

    private static long expiresIn(Object value) {
        long seconds = DEFAULT_EXPIRES_IN_SECONDS;
        if (value instanceof Number number) {
            seconds = number.longValue();
        } else if (value instanceof String text) {
            try {
                seconds = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                seconds = DEFAULT_EXPIRES_IN_SECONDS;
            }
        }
        return Math.min(MAX_EXPIRES_IN_SECONDS, Math.max(1, seconds));
    }

    private static Grant grant(Granted granted, long started) {
        long lifetime = granted.expiresInSeconds * 1_000_000_000L;
        return new Grant(Future.succeededFuture(granted.token), started + lifetime,
                started + lifetime - Math.min(REFRESH_AHEAD_NANOS, lifetime / 10));
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
