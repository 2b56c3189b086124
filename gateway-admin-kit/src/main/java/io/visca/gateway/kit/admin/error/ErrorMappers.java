package io.visca.gateway.kit.admin.error;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.vertx.core.http.HttpServerRequest;

/**
 * Turns every failure of a service's JAX-RS resources into {@link ApiError} (or, on the paths of the service's
 * {@link ErrorPages}, into a page). Known client mistakes keep their status and message; anything else is logged with
 * its stack trace and the request id, and answered with a generic 500 without details. A service maps its own
 * exceptions with mappers of its own: the most specific exception type wins.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    private final ErrorPages pages;

    @Inject
    ErrorMappers(Instance<ErrorPages> pages) {
        this(pages.isResolvable() ? pages.get() : null);
    }

    ErrorMappers(ErrorPages pages) {
        this.pages = pages;
    }

    @ServerExceptionMapper
    public Response apiException(ApiException e, HttpServerRequest request) {
        return apiException(e, request.path(), requestId(request));
    }

    Response apiException(ApiException e, String path, String requestId) {
        if (page(path)) {
            return pages.render(e.status(), "Error " + e.status(), e.getMessage(), requestId);
        }
        return respond(e.status(), e.toBody(requestId));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpServerRequest request) {
        return notFound(request.method().name(), request.path(), requestId(request));
    }

    Response notFound(String method, String path, String requestId) {
        if (page(path)) {
            return pages.render(404, "Not found", "There is no page at " + path + ".", requestId);
        }
        return respond(404, body("no such route: " + method + " " + path, "not_found_error", "route_not_found",
                requestId));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
        return notAllowed(request.method().name(), request.path(), requestId(request));
    }

    Response notAllowed(String method, String path, String requestId) {
        return respond(405, body("method " + method + " is not allowed on " + path, "invalid_request_error",
                "method_not_allowed", requestId));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, request);
        }
        return clientError(status, e.getResponse().getStatusInfo().getReasonPhrase(), request.path(),
                requestId(request));
    }

    Response clientError(int status, String reason, String path, String requestId) {
        if (page(path)) {
            return pages.render(status, status + " " + reason, "The request could not be handled: " + reason + ".",
                    requestId);
        }
        return respond(status, body(status + " " + reason, "invalid_request_error",
                reason.toLowerCase().replace(' ', '_'), requestId));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        String id = requestId(request);
        LOG.errorf(e, "request %s (%s %s) failed", id, request.method(), request.path());
        return unexpected(request.path(), id);
    }

    Response unexpected(String path, String requestId) {
        if (page(path)) {
            return pages.render(500, "Something went wrong", "An unexpected error happened; quote request id "
                    + requestId + " when reporting it.", requestId);
        }
        return respond(500, body("internal error; quote request id " + requestId + " when reporting it",
                "server_error", "internal_error", requestId));
    }

    private boolean page(String path) {
        return pages != null && pages.covers(path);
    }

    private static String requestId(HttpServerRequest request) {
        return RequestIds.orGenerate(request.getHeader(RequestIds.HEADER));
    }

    private static ApiError body(String message, String type, String code, String requestId) {
        return new ApiError(new ApiError.Detail(message, type, null, code, null), requestId);
    }

    /** An error response: its status, {@code body} as JSON. */
    public static Response respond(int status, ApiError body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
