package io.visca.gateway.health.error;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of the status API in the {@link ApiError} shape: known conditions with their own status, JAX-RS
 * errors (unknown path, wrong method) with theirs, and anything else as a generic 500 whose stack trace is logged
 * with the request id, never returned.
 */
public class ErrorMappers {

    public static final String REQUEST_ID = "x-request-id";
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    @ServerExceptionMapper
    public Response known(ApiException e, HttpHeaders headers) {
        return respond(e, requestId(headers.getHeaderString(REQUEST_ID)));
    }

    @ServerExceptionMapper
    public Response jaxRs(WebApplicationException e, HttpHeaders headers) {
        int status = e.getResponse().getStatus();
        String type = status == 404 ? "not_found_error" : status < 500 ? "invalid_request_error" : "server_error";
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        return respond(new ApiException(status, type, "http_" + status, reason == null ? "HTTP " + status : reason),
                requestId(headers.getHeaderString(REQUEST_ID)));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpHeaders headers) {
        String requestId = requestId(headers.getHeaderString(REQUEST_ID));
        LOG.errorf(e, "request %s failed unexpectedly", requestId);
        return respond(new ApiException(500, "server_error", "internal_error",
                "The health monitor failed to answer; see its log for request " + requestId), requestId);
    }

    /** The response for an error: its status, {@link ApiError} as JSON. */
    public static Response respond(ApiException e, String requestId) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).header(REQUEST_ID, requestId)
                .entity(e.toBody(requestId)).build();
    }

    /** The client's {@code x-request-id} when it is sane, a new one otherwise. */
    public static String requestId(String header) {
        return header != null && SANE.matcher(header).matches() ? header : "req_" + UUID.randomUUID();
    }
}
