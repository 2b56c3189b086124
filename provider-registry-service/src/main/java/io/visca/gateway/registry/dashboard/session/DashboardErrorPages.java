package io.visca.gateway.registry.dashboard.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.kit.admin.error.ErrorPages;
import io.visca.gateway.kit.admin.error.RequestIds;

/**
 * The dashboard's error page: a title, a sentence and the request id; never a stack trace. The admin kit's
 * {@code ErrorMappers} answer errors on the dashboard's paths with it, and {@link #forbidden} the missing CSRF token.
 */
@ApplicationScoped
public class DashboardErrorPages implements ErrorPages {

    private final Template error;

    DashboardErrorPages(@Location("dashboard/error.html") Template error) {
        this.error = error;
    }

    @Override
    public boolean covers(String path) {
        return DashboardPages.isDashboardPath(path);
    }

    @ServerExceptionMapper
    public Response forbidden(DashboardForbidden e, HttpServerRequest request) {
        return render(403, "Forbidden", "This request did not carry the page's security token (CSRF); nothing "
                + "was changed. Reload the page and try again.",
                RequestIds.orGenerate(request.getHeader(
                        RequestIds.HEADER)));
    }

    @Override
    public Response render(int status, String title, String message, String requestId) {
        String html = error.data("title", title).data("message", message).data("requestId", requestId)
                .data("nav", null).data("csrf", null).data("csrfHeaders", null).render();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html)
                .header("Cache-Control", "no-store").build();
    }
}
