package io.visca.gateway.registry.error;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.registry.dashboard.session.DashboardErrorPages;
import io.visca.gateway.registry.dashboard.session.DashboardForbidden;
import io.visca.gateway.registry.dashboard.session.DashboardPages;

/**
 * Turns every failure into {@link ApiError}. Known client mistakes keep their status and message; anything else
 * is logged with its stack trace and the request id, and answered with a generic 500 without details.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    private final DashboardErrorPages pages;

    ErrorMappers(DashboardErrorPages pages) {
        this.pages = pages;
    }

    @ServerExceptionMapper
    public Response dashboardForbidden(DashboardForbidden e, HttpServerRequest request) {
        return pages.render(403, "Forbidden", "This request did not carry the page's security token (CSRF); nothing "
                + "was changed. Reload the page and try again.", requestId(request));
    }

    @ServerExceptionMapper
    public Response apiException(ApiException e, HttpServerRequest request) {
        if (DashboardPages.isDashboardPath(request.path())) {
            return pages.render(e.status(), "Error " + e.status(), e.getMessage(), requestId(request));
        }
        return respond(e.status(), e.toBody(requestId(request))).toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpServerRequest request) {
        if (DashboardPages.isDashboardPath(request.path())) {
            return pages.render(404, "Not found", "There is no page at " + request.path() + ".", requestId(request));
        }
        return respond(404, new ApiError(new ApiError.Detail("no such route: " + request.method() + " "
                + request.path(), "not_found_error", null, "route_not_found", null), requestId(request))).toResponse();
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> notAllowed(NotAllowedException e, HttpServerRequest request) {
        return respond(405, new ApiError(new ApiError.Detail("method " + request.method() + " is not allowed on "
                + request.path(), "invalid_request_error", null, "method_not_allowed", null), requestId(request)));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, request);
        }
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        if (DashboardPages.isDashboardPath(request.path())) {
            return pages.render(status, status + " " + reason, "The request could not be handled: " + reason + ".",
                    requestId(request));
        }
        return respond(status, new ApiError(new ApiError.Detail(status + " " + reason, "invalid_request_error", null,
                reason.toLowerCase().replace(' ', '_'), null), requestId(request))).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        String id = requestId(request);
        LOG.errorf(e, "request %s (%s %s) failed", id, request.method(), request.path());
        if (DashboardPages.isDashboardPath(request.path())) {
            return pages.render(500, "Something went wrong", "An unexpected error happened; quote request id " + id
                    + " when reporting it.", id);
        }
        return respond(500, new ApiError(new ApiError.Detail("internal error; quote request id " + id
                + " when reporting it", "server_error", null, "internal_error", null), id)).toResponse();
    }

    private static String requestId(HttpServerRequest request) {
        return RequestIds.orGenerate(request.getHeader(RequestIds.HEADER));
    }

    private static RestResponse<ApiError> respond(int status, ApiError body) {
        return RestResponse.ResponseBuilder.<ApiError> create(status).entity(body).type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }
}
