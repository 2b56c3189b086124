package io.visca.gateway.fakes;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A fake OAuth 2.0 authorization server for the client credentials grant (RFC 6749 §4.4), in-process on a free
 * loopback port: {@code POST /oauth2/token} with a form body {@code grant_type=client_credentials} (and an optional
 * {@code scope}), the client authenticated by HTTP Basic or by the {@code client_id}/{@code client_secret} form
 * fields, answers {@code {"access_token":"tok-N","token_type":"Bearer","expires_in",["scope"]}} with
 * {@code Cache-Control: no-store}; errors are RFC 6749's {@code {"error","error_description"}}
 * ({@code invalid_client} 401, {@code unsupported_grant_type} and {@code invalid_request} 400). {@link #isValid}
 * tells a fake resource server whether a token it receives was issued here and has not expired.
 */
public final class FakeOAuthServer extends FakeServer<FakeOAuthServer> {

    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final AtomicLong issued = new AtomicLong();
    private volatile String clientId;
    private volatile String clientSecret;
    private volatile long expiresIn = 3600;

    private FakeOAuthServer() {
    }

    /** Starts on a free loopback port with its own Vert.x instance. */
    public static FakeOAuthServer start() {
        return start(0);
    }

    /** Starts on the given port (0 for a free one). */
    public static FakeOAuthServer start(int port) {
        return new FakeOAuthServer().listen(port);
    }

    /** Only this client is issued tokens (null id: any client, with or without credentials). */
    public FakeOAuthServer requireClient(String id, String secret) {
        this.clientId = id;
        this.clientSecret = secret;
        return this;
    }

    /** The lifetime of the tokens issued from now on, in seconds (default 3600). */
    public FakeOAuthServer expiresIn(long seconds) {
        this.expiresIn = seconds;
        return this;
    }

    /** How many tokens were issued. */
    public long tokensIssued() {
        return issued.get();
    }

    /** True if the token (with or without a {@code Bearer } prefix) was issued here and has not expired. */
    public boolean isValid(String token) {
        if (token == null) {
            return false;
        }
        Long expiry = expiries.get(token.startsWith("Bearer ") ? token.substring(7) : token);
        return expiry != null && System.currentTimeMillis() < expiry;
    }

    /** {@code http://127.0.0.1:PORT/oauth2/token}, the config's {@code token_url}. */
    public String tokenUrl() {
        return root() + "/oauth2/token";
    }

    /** {@code http://127.0.0.1:PORT}. */
    @Override
    public String baseUrl() {
        return root();
    }

    @Override
    protected boolean isProbe(String method, String path) {
        return false;
    }

    @Override
    protected void unauthorized(HttpServerResponse res, String header, String value) {
        error(res, 401, errorBody("invalid_client", "Client authentication failed"));
    }

    @Override
    protected String defaultErrorBody(int status) {
        return switch (status) {
            case 400 -> errorBody("invalid_request", "The request is missing a required parameter");
            case 401 -> errorBody("invalid_client", "Client authentication failed");
            case 503 -> errorBody("temporarily_unavailable", "The server is temporarily unavailable");
            default -> errorBody("server_error", "The server encountered an unexpected condition");
        };
    }

    @Override
    protected void badJson(HttpServerResponse res) {
        error(res, 400, errorBody("invalid_request", "Malformed request body"));
    }

    @Override
    protected void route(HttpServerRequest req, String body) {
        HttpServerResponse res = req.response();
        res.putHeader("cache-control", "no-store").putHeader("pragma", "no-cache");
        if (!"/oauth2/token".equals(req.path())) {
            error(res, 404, errorBody("invalid_request", "Unknown endpoint"));
            return;
        }
        String contentType = req.getHeader("content-type");
        if (!"POST".equals(req.method().name()) || contentType == null
                || !contentType.startsWith("application/x-www-form-urlencoded")) {
            error(res, 400, errorBody("invalid_request",
                    "The token request must be a POST of application/x-www-form-urlencoded"));
            return;
        }
        Map<String, String> form = form(body);
        String grant = form.get("grant_type");
        if (grant == null) {
            error(res, 400, errorBody("invalid_request", "Missing grant_type"));
            return;
        }
        if (!"client_credentials".equals(grant)) {
            error(res, 400, errorBody("unsupported_grant_type", "Unsupported grant_type: " + grant));
            return;
        }
        String[] basic = basic(req.getHeader("authorization"));
        if (basic != null && form.containsKey("client_secret")) {
            error(res, 400, errorBody("invalid_request", "Use only one client authentication method"));
            return;
        }
        String id = basic != null ? basic[0] : form.get("client_id");
        String secret = basic != null ? basic[1] : form.get("client_secret");
        String required = clientId;
        if (required != null && (!required.equals(id) || !String.valueOf(clientSecret).equals(secret))) {
            if (basic != null) {
                res.putHeader("www-authenticate", "Basic realm=\"oauth\"");
            }
            error(res, 401, errorBody("invalid_client", "Client authentication failed"));
            return;
        }
        String token = "tok-" + issued.incrementAndGet();
        long lifetime = expiresIn;
        expiries.put(token, System.currentTimeMillis() + lifetime * 1000);
        var out = JSON.createObjectNode().put("access_token", token).put("token_type", "Bearer")
                .put("expires_in", lifetime);
        if (form.get("scope") != null) {
            out.put("scope", form.get("scope"));
        }
        json(res, 200, out);
    }

    /** HTTP Basic credentials, form-urldecoded as RFC 6749 §2.3.1 says; null if there are none. */
    private static String[] basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? null
                    : new String[] { decode(pair.substring(0, colon)), decode(pair.substring(colon + 1)) };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                form.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return form;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String errorBody(String error, String description) {
        return JSON.createObjectNode().put("error", error).put("error_description", description).toString();
    }
}
