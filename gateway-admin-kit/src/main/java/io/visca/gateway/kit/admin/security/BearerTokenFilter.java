package io.visca.gateway.kit.admin.security;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.kit.admin.error.ErrorMappers;
import io.visca.gateway.kit.admin.error.RequestIds;

/**
 * Every REST resource of a service needs {@code Authorization: Bearer <token>} with a token of its realm (the
 * service's {@link BearerRealms} decides, by the matched resource class, not the path); a 401 in the error shape
 * otherwise. {@code /q/*} (health, metrics, OpenAPI) are not REST resources and stay open.
 * <p>
 * Wrong tokens are counted per client address ({@link TokenThrottle}, the service's {@code token-throttle.*}): past
 * the limit the address gets 429 with {@code Retry-After}, whatever token it presents, until its window is over.
 */
public class BearerTokenFilter {

    private static final Logger LOG = Logger.getLogger(BearerTokenFilter.class);

    private final BearerRealms realms;
    private final TokenThrottle throttle;

    BearerTokenFilter(BearerRealms realms) {
        this.realms = realms;
        TokenThrottleConfig settings = realms.throttle();
        this.throttle = new TokenThrottle(settings.maxFailures(), settings.window(), settings.maxClients(),
                System::currentTimeMillis);
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authenticate(SimpleResourceInfo resource, HttpServerRequest request) {
        BearerRealms.Realm realm = realms.realmOf(resource.getResourceClass());
        if (realm == null) {
            return null;
        }
        String presented = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        String requestId = RequestIds.orGenerate(request.getHeader(RequestIds.HEADER));
        ApiException failure;
        if (presented == null) {
            failure = ApiException.unauthorized("missing_token", "this API needs 'Authorization: Bearer <token>' with "
                    + realm.accepted());
        } else if (throttle.retryAfterSeconds(client) > 0) {
            long retryAfter = throttle.retryAfterSeconds(client);
            return Response.fromResponse(ErrorMappers.respond(429,
                    ApiException.tooManyFailedAttempts(retryAfter).toBody(requestId)))
                    .header("Retry-After", String.valueOf(retryAfter)).build();
        } else if (!realm.tokens().accepts(presented)) {
            if (throttle.failed(client)) {
                LOG.warnf("too many failed bearer-token attempts from %s: its token attempts are refused (429) until "
                        + "its window is over", client);
            }
            failure = ApiException.unauthorized("invalid_token", "the bearer token is not valid for this API");
        } else {
            throttle.succeeded(client);
            return null;
        }
        return Response.fromResponse(ErrorMappers.respond(401, failure.toBody(requestId)))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + realm.name() + "\"").build();
    }

    /** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive), or null. */
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
