package io.visca.gateway.billing.security;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.billing.error.ApiException;
import io.visca.gateway.billing.error.RequestIds;

/**
 * Every REST resource needs {@code Authorization: Bearer <token>} with {@code GATEWAY_ADMIN_TOKEN} or
 * {@code BILLING_API_TOKEN}; a 401 in the error shape otherwise. {@code /q/*} (health, metrics, OpenAPI) are not
 * REST resources and stay open.
 */
public class BearerTokenFilter {

    private final ApiTokens tokens;

    BearerTokenFilter(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authenticate(HttpServerRequest request) {
        String presented = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        ApiException failure;
        if (presented == null) {
            failure = ApiException.unauthorized("missing_token", "this API needs 'Authorization: Bearer <token>' with "
                    + "the admin token (GATEWAY_ADMIN_TOKEN) or the billing token (BILLING_API_TOKEN)");
        } else if (!tokens.accepts(presented)) {
            failure = ApiException.unauthorized("invalid_token", "the bearer token is not valid for this API");
        } else {
            return null;
        }
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"visca-billing\"")
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
