package io.visca.gateway.registry.dashboard.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/** The dashboard's error page: a title, a sentence and the request id; never a stack trace. */
@ApplicationScoped
public class DashboardErrorPages {

    private final Template error;

    DashboardErrorPages(@Location("dashboard/error.html") Template error) {
        this.error = error;
    }

    public Response render(int status, String title, String message, String requestId) {
        String html = error.data("title", title).data("message", message).data("requestId", requestId)
                .data("nav", null).data("csrf", null).data("csrfHeaders", null).render();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html)
                .header("Cache-Control", "no-store").build();
    }
}
