package io.visca.gateway.health.security;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.health.error.ApiException;
import io.visca.gateway.health.error.ErrorMappers;

/**
 * Every REST resource ({@code /api/*}, all of them reads) needs {@code Authorization: Bearer <token>} with
 * {@code GATEWAY_SERVICE_TOKEN}, the token the services use between themselves, or {@code GATEWAY_ADMIN_TOKEN}, the
 * one operators hold ({@link ApiTokens}); a 401 in the error shape otherwise. {@code /q/*} (health) is not a REST
 * resource and stays open.
 * <p>
 * Wrong tokens are counted per client address ({@link TokenThrottle}, {@code health.token-throttle.*}): past the
 * limit the address gets 429 with {@code Retry-After}, whatever token it presents, until its window is over.
 */
public class ServiceTokenFilter {

    private static final Logger LOG = Logger.getLogger(ServiceTokenFilter.class);

    private final ApiTokens tokens;
    private final TokenThrottle throttle;

    ServiceTokenFilter(HealthConfig config) {
        HealthConfig.TokenThrottle settings = config.tokenThrottle();
        this.throttle = new TokenThrottle(settings.maxFailures(), settings.window(), settings.maxClients(),
                System::currentTimeMillis);
        this.tokens = new ApiTokens(config.serviceToken(), config.adminToken());
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authenticate(HttpServerRequest request) {
        String presented = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        ApiException failure;
        if (presented == null) {
            failure = ApiException.unauthorized("missing_token", "this API needs 'Authorization: Bearer <token>' "
                    + "with the service token (GATEWAY_SERVICE_TOKEN) or the admin token (GATEWAY_ADMIN_TOKEN)");
        } else if (throttle.retryAfterSeconds(client) > 0) {
            long retryAfter = throttle.retryAfterSeconds(client);
            return Response.fromResponse(ErrorMappers.respond(new ApiException(429, "rate_limit_error",
                    "too_many_failed_attempts", "too many failed token attempts from this address; try again in "
                            + retryAfter + " s"),
                    ErrorMappers.requestId(request.getHeader(ErrorMappers.REQUEST_ID))))
                    .header("Retry-After", String.valueOf(retryAfter)).build();
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
        return Response.fromResponse(ErrorMappers.respond(failure,
                ErrorMappers.requestId(request.getHeader(ErrorMappers.REQUEST_ID))))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"visca-health\"").build();
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
