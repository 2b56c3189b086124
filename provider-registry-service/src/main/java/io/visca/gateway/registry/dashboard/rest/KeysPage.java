package io.visca.gateway.registry.dashboard.rest;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.kit.admin.error.Violation;
import io.visca.gateway.registry.apikey.mapping.ApiKeyCreated;
import io.visca.gateway.registry.apikey.mapping.ApiKeyView;
import io.visca.gateway.registry.apikey.rest.ApiKeyResource;
import io.visca.gateway.registry.apikey.service.ApiKeyService;
import io.visca.gateway.registry.dashboard.session.Dashboard;
import io.visca.gateway.registry.dashboard.session.DashboardPages;

/**
 * API keys: create (the key is in that one answer only, never stored in clear nor shown again), list, revoke.
 * The answers that show a new key are never cached ({@code Cache-Control: no-store} on every dashboard page).
 */
@Path("/keys")
@Dashboard
@Produces(MediaType.TEXT_HTML)
public class KeysPage {

    private final ApiKeyService keys;
    private final DashboardPages pages;
    private final Template page;

    KeysPage(ApiKeyService keys, DashboardPages pages, @Location("dashboard/keys.html") Template page) {
        this.keys = keys;
        this.pages = pages;
        this.page = page;
    }

    /** A row of the table: an active key, or the one just revoked. */
    public record KeyRow(String id, String name, String keyPrefix, java.time.Instant createdAt, boolean revoked) {
    }

    @GET
    public Uni<String> list(HttpServerRequest request) {
        return render(null, null, List.of(), null, request);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(@RestForm String name, @RestForm String csrf, HttpServerRequest request) {
        pages.requireCsrf(request, csrf);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (name != null && !name.isBlank()) {
            body.put("name", name);
        }
        String valid;
        try {
            valid = ApiKeyResource.name(body);
        } catch (ApiException e) {
            return render(null, null, e.violations(), name, request)
                    .map(html -> Response.status(400).entity(html).build());
        }
        return keys.create(valid).chain(created -> render(created, null, List.of(), null, request))
                .map(html -> Response.ok(html).build());
    }

    @POST
    @Path("/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<String> revoke(@RestPath String id, @RestForm String csrf, HttpServerRequest request) {
        pages.requireCsrf(request, csrf);
        return keys.listActive().chain(before -> keys.revoke(id).replaceWith(before.stream()
                .filter(k -> k.id().equals(id)).findFirst().orElse(null)))
                .chain(revoked -> render(null, revoked, List.of(), null, request));
    }

    private Uni<String> render(ApiKeyCreated created, ApiKeyView revoked, List<Violation> violations, String name,
            HttpServerRequest request) {
        return keys.listActive().map(active -> {
            List<KeyRow> rows = new java.util.ArrayList<>(active.stream()
                    .map(k -> new KeyRow(k.id(), k.name(), k.keyPrefix(), k.createdAt(), false)).toList());
            if (revoked != null) {
                rows.add(new KeyRow(revoked.id(), revoked.name(), revoked.keyPrefix(), revoked.createdAt(), true));
            }
            return pages.page(page.data("keys", rows).data("created", created).data("revoked", revoked)
                    .data("violations", violations).data("name", name == null ? "" : name), "keys", request).render();
        });
    }
}
