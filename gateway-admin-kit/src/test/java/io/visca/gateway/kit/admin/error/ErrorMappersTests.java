package io.visca.gateway.kit.admin.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

/** The error shape of every failure, and the pages of the paths a service answers with HTML. */
class ErrorMappersTests {

    private final ErrorMappers json = new ErrorMappers((ErrorPages) null);

    @Test
    void aKnownMistakeKeepsItsStatusCodeAndEveryViolation() {
        ApiException invalid = ApiException.invalid("validation_failed", List.of(new Violation("name", "is missing"),
                new Violation("endpoints[0].base_url", "must be http(s)")));
        Response response = json.apiException(invalid, "/api/providers", "req-1");
        assertEquals(400, response.getStatus());
        assertEquals(MediaType.APPLICATION_JSON_TYPE, response.getMediaType());
        ApiError body = (ApiError) response.getEntity();
        assertEquals("req-1", body.requestId());
        assertEquals("invalid_request_error", body.error().type());
        assertEquals("validation_failed", body.error().code());
        assertEquals("name", body.error().param());
        assertEquals("2 problems: name: is missing; endpoints[0].base_url: must be http(s)", body.error().message());
        assertEquals(2, body.error().violations().size());
        assertEquals("name: is missing; endpoints[0].base_url: must be http(s)", invalid.problems());
    }

    @Test
    void anUnknownRouteOrMethodIsNamed() {
        ApiError notFound = (ApiError) json.notFound("GET", "/api/nothing", "req-2").getEntity();
        assertEquals("route_not_found", notFound.error().code());
        assertEquals("no such route: GET /api/nothing", notFound.error().message());
        Response notAllowed = json.notAllowed("PATCH", "/api/providers", "req-3");
        assertEquals(405, notAllowed.getStatus());
        assertEquals("method_not_allowed", ((ApiError) notAllowed.getEntity()).error().code());
        ApiError unsupported = (ApiError) json.clientError(415, "Unsupported Media Type", "/api/x", "r").getEntity();
        assertEquals("unsupported_media_type", unsupported.error().code());
    }

    @Test
    void anythingElseIsAGeneric500QuotingOnlyTheRequestId() {
        Response response = json.unexpected("/api/providers", "req-4");
        assertEquals(500, response.getStatus());
        ApiError body = (ApiError) response.getEntity();
        assertEquals("server_error", body.error().type());
        assertEquals("internal_error", body.error().code());
        assertEquals("internal error; quote request id req-4 when reporting it", body.error().message());
        assertNull(body.error().param());
    }

    @Test
    void thePathsOfTheServicesPagesGetAPageTheOthersJson() {
        List<String> rendered = new ArrayList<>();
        ErrorMappers withPages = new ErrorMappers(new ErrorPages() {
            @Override
            public boolean covers(String path) {
                return path.startsWith("/dashboard");
            }

            @Override
            public Response render(int status, String title, String message, String requestId) {
                rendered.add(status + "|" + title + "|" + message + "|" + requestId);
                return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(title).build();
            }
        });
        Response page = withPages.notFound("GET", "/dashboard/nothing", "req-5");
        assertEquals(MediaType.TEXT_HTML_TYPE, page.getMediaType());
        assertEquals("404|Not found|There is no page at /dashboard/nothing.|req-5", rendered.get(0));
        withPages.unexpected("/dashboard", "req-6");
        assertTrue(rendered.get(1).startsWith("500|Something went wrong|"), rendered.get(1));
        assertFalse(withPages.notFound("GET", "/api/nothing", "req-7").getEntity() instanceof String);
        assertEquals(2, rendered.size());
    }
}
