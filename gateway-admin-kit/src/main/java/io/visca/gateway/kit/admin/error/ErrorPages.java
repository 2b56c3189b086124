package io.visca.gateway.kit.admin.error;

import jakarta.ws.rs.core.Response;

/**
 * A service's HTML error pages (the registry's dashboard), for the paths that are pages rather than API: a bean of
 * this type makes {@link ErrorMappers} answer those paths with a page instead of {@link ApiError} JSON. Without one,
 * every path answers JSON.
 */
public interface ErrorPages {

    /** Whether errors on {@code path} are answered with a page. */
    boolean covers(String path);

    /** The page: a title, a sentence and the request id; never a stack trace. */
    Response render(int status, String title, String message, String requestId);
}
