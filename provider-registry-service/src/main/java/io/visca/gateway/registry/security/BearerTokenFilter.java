package io.visca.gateway.registry.security;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.registry.dashboard.session.Dashboard;
import io.visca.gateway.registry.error.ApiException;
import io.visca.gateway.registry.error.RequestIds;

/**
 * Every REST resource needs a bearer token: {@code GATEWAY_SERVICE_TOKEN} for classes marked
 * {@link ServiceAuthenticated}, {@code GATEWAY_ADMIN_TOKEN} for all others; a 401 in the error shape otherwise.
 * The decision follows the matched resource class, not the path. {@code /q/*} (health, OpenAPI, Swagger UI) are
 * not REST resources and stay open. Classes marked {@link Dashboard} (the web dashboard) take a session instead.
 */
public class BearerTokenFilter {

    private final ApiTokens tokens;

    BearerTokenFilter(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authenticate(SimpleResourceInfo resource, HttpServerRequest request) {
        if (resource.getResourceClass() != null && resource.getResourceClass().isAnnotationPresent(Dashboard.class)) {
            return null; // the dashboard's pages take a session cookie (DashboardSessionFilter), not a bearer token
        }
        boolean service = resource.getResourceClass() != null
                && resource.getResourceClass().isAnnotationPresent(ServiceAuthenticated.class);
        String presented = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        ApiException failure;
        if (presented == null) {
            failure = ApiException.unauthorized("missing_token", "this API needs 'Authorization: Bearer <token>' with "
                    + (service ? "the service token (GATEWAY_SERVICE_TOKEN)" : "the admin token (GATEWAY_ADMIN_TOKEN)"));
        } else if (!(service ? tokens.isService(presented) : tokens.isAdmin(presented))) {
            failure = ApiException.unauthorized("invalid_token", "the bearer token is not valid for this API");
        } else {
            return null;
        }
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + (service ? "visca-internal" : "visca-admin")
                        + "\"")
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
