package io.visca.gateway.billing.security;

import java.util.List;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.billing.config.BillingConfig;
import io.visca.gateway.billing.error.ApiException;
import io.visca.gateway.billing.error.RequestIds;

/**
 * Every REST resource needs {@code Authorization: Bearer <token>} with {@code GATEWAY_ADMIN_TOKEN} or
 * {@code BILLING_API_TOKEN}; a 401 in the error shape otherwise. {@code /q/*} (health, metrics, OpenAPI) are not
 * REST resources and stay open.
 * <p>
 * Wrong tokens are counted per client address ({@link TokenThrottle}, {@code billing.token-throttle.*}): past the
 * limit the address gets 429 with {@code Retry-After}, whatever token it presents, until its window is over.
 */
public class BearerTokenFilter {

    private static final Logger LOG = Logger.getLogger(BearerTokenFilter.class);

    private final ApiTokens tokens;
    private final TokenThrottle throttle;

    BearerTokenFilter(ApiTokens tokens, BillingConfig config) {
        this.tokens = tokens;
        BillingConfig.TokenThrottle settings = config.tokenThrottle();
        this.throttle = new TokenThrottle(settings.maxFailures(), settings.window(), settings.maxClients(),
                System::currentTimeMillis);
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authenticate(HttpServerRequest request) {
        String presented = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        ApiException failure;
        if (presented == null) {
            failure = ApiException.unauthorized("missing_token", "this API needs 'Authorization: Bearer <token>' with "
                    + "the admin token (GATEWAY_ADMIN_TOKEN) or the billing token (BILLING_API_TOKEN)");
        } else if (throttle.retryAfterSeconds(client) > 0) {
            return tooManyFailures(request, throttle.retryAfterSeconds(client));
        } else if (!tokens.accepts(presented)) {
            if (throttle.failed(client)) {
                LOG.warnf("too many failed bearer-token attempts from %s: its token attempts are refused (429) until "
                        + "its window is over", client);
            }
            failure = ApiException.unauthorized("invalid_token", "the bearer token is not valid for this API");
        } else {
            throttle.succeeded(client);
            return null;
        }
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"visca-billing\"")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(failure.toBody(RequestIds.orGenerate(request.getHeader(RequestIds.HEADER))))
                .build();
    }

    private static Response tooManyFailures(HttpServerRequest request, long retryAfter) {
        ApiException failure = new ApiException(429, "rate_limit_error", "too_many_failed_attempts", null,
                "too many failed token attempts from this address; try again in " + retryAfter + " s", List.of());
        return Response.status(429).header("Retry-After", String.valueOf(retryAfter))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(failure.toBody(RequestIds.orGenerate(request.getHeader(RequestIds.HEADER))))
                .build();
    }

    static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() <= 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = value.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
