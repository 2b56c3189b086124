package io.visca.gateway.registry.dashboard.rest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.kit.admin.error.Violation;
import io.visca.gateway.registry.apikey.mapping.ApiKeyCreated;
import io.visca.gateway.registry.apikey.mapping.ApiKeyRotated;
import io.visca.gateway.registry.apikey.mapping.ApiKeyView;
import io.visca.gateway.registry.apikey.mapping.KeyPatch;
import io.visca.gateway.registry.apikey.rest.ApiKeyResource;
import io.visca.gateway.registry.apikey.service.ApiKeyService;
import io.visca.gateway.registry.dashboard.client.BudgetAlerts;
import io.visca.gateway.registry.dashboard.client.DashboardBackends;
import io.visca.gateway.registry.dashboard.form.BudgetBar;
import io.visca.gateway.registry.dashboard.form.FormRow;
import io.visca.gateway.registry.dashboard.form.PolicyForm;
import io.visca.gateway.registry.dashboard.session.Dashboard;
import io.visca.gateway.registry.dashboard.session.DashboardPages;
import io.visca.gateway.registry.team.mapping.TeamView;
import io.visca.gateway.registry.team.service.TeamService;

/**
 * API keys: the list with each key's policy and its budget's spend, create and edit every policy field, rotate (the
 * new key in that one answer only, like a created one) and revoke. Every change goes through {@link ApiKeyService}
 * with the API's own {@link KeyPatch}, so the page stores what the API would and shows its violations beside their
 * fields. A key's edit page also lists its recent budget alerts (billing's, {@link BudgetAlerts}). The answers that
 * show a key are never cached ({@code Cache-Control: no-store} on every dashboard page).
 */
@Path("/keys")
@Dashboard
@Produces(MediaType.TEXT_HTML)
public class KeysPage {

    private final ApiKeyService keys;
    private final TeamService teams;
    private final DashboardBackends backends;
    private final DashboardPages pages;
    private final Template list;
    private final Template edit;

    KeysPage(ApiKeyService keys, TeamService teams, DashboardBackends backends, DashboardPages pages,
            @Location("dashboard/keys.html") Template list, @Location("dashboard/key-form.html") Template edit) {
        this.keys = keys;
        this.teams = teams;
        this.backends = backends;
        this.pages = pages;
        this.list = list;
        this.edit = edit;
    }

    /** A row of the table: an active key with its budget bar, or the one just revoked. */
    public record KeyRow(ApiKeyView key, BudgetBar bar, boolean revoked) {
    }

    /** What the list page shows above the table: a key shown once, or the key just revoked. */
    record Notice(ApiKeyCreated created, ApiKeyRotated rotated, ApiKeyView revoked) {
        static final Notice NONE = new Notice(null, null, null);
    }

    @GET
    public Uni<String> list(HttpServerRequest request) {
        return render(Notice.NONE, PolicyForm.blank(), request);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(MultivaluedMap<String, String> form, HttpServerRequest request) {
        pages.requireCsrf(request, form.getFirst("csrf"));
        FormRow typed = PolicyForm.typed(form, PolicyForm.KEY_FIELDS);
        PolicyForm.Body body = PolicyForm.body(typed, PolicyForm.KEY_FIELDS, true, null);
        return save(body, json -> keys.create(KeyPatch.forCreate(json)),
                created -> render(new Notice(created, null, null), PolicyForm.blank(), request)
                        .map(html -> Response.ok(html).build()),
                violations -> render(Notice.NONE, PolicyForm.withViolations(typed, violations), request));
    }

    @GET
    @Path("/{id}/edit")
    public Uni<String> edit(@RestPath String id, @RestQuery String saved, HttpServerRequest request) {
        return keys.get(id).chain(key -> renderEdit(key, PolicyForm.of(key), PolicyForm.blank(), "1".equals(saved),
                request));
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> update(@RestPath String id, MultivaluedMap<String, String> form, HttpServerRequest request) {
        pages.requireCsrf(request, form.getFirst("csrf"));
        FormRow typed = PolicyForm.typed(form, PolicyForm.KEY_FIELDS);
        return keys.get(id).chain(stored -> save(
                PolicyForm.body(typed, PolicyForm.KEY_FIELDS, false, stored.metadata()),
                json -> keys.update(id, KeyPatch.forUpdate(json)),
                updated -> Uni.createFrom().item(Response.seeOther(URI.create("/keys/" + id + "/edit?saved=1"))
                        .build()),
                violations -> renderEdit(stored, PolicyForm.withViolations(typed, violations), PolicyForm.blank(),
                        false, request)));
    }

    @POST
    @Path("/{id}/rotate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> rotate(@RestPath String id, @RestForm("grace_seconds") String grace, @RestForm String csrf,
            HttpServerRequest request) {
        pages.requireCsrf(request, csrf);
        int seconds;
        try {
            seconds = ApiKeyResource.graceSeconds(PolicyForm.rotation(grace));
        } catch (ApiException e) {
            FormRow rotation = PolicyForm.withViolations(
                    new FormRow(null, 0, Map.of(PolicyForm.GRACE, grace == null ? "" : grace), Map.of()),
                    e.violations());
            return keys.get(id).chain(key -> renderEdit(key, PolicyForm.of(key), rotation, false, request))
                    .map(html -> Response.status(e.status()).entity(html).build());
        }
        return keys.rotate(id, seconds).chain(rotated -> render(new Notice(null, rotated, null), PolicyForm.blank(),
                request)).map(html -> Response.ok(html).build());
    }

    @POST
    @Path("/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<String> revoke(@RestPath String id, @RestForm String csrf, HttpServerRequest request) {
        pages.requireCsrf(request, csrf);
        return keys.get(id).call(() -> keys.revoke(id))
                .chain(revoked -> render(new Notice(null, null, revoked), PolicyForm.blank(), request));
    }

    /**
     * Saves through the service; a 400 of the API (or of the form's own reading, before the API is asked) renders the
     * form again with its violations, status 400 and nothing saved.
     */
    private <T> Uni<Response> save(PolicyForm.Body body, Function<ObjectNode, Uni<T>> save,
            Function<T, Uni<Response>> done, Function<List<Violation>, Uni<String>> invalid) {
        if (!body.violations().isEmpty()) {
            return invalid.apply(body.violations()).map(html -> Response.status(400).entity(html).build());
        }
        return Uni.createFrom().<T> deferred(() -> save.apply(body.json())).chain(saved -> done.apply(saved))
                .onFailure(ApiException.class).recoverWithUni(e -> {
                    ApiException api = (ApiException) e;
                    if (api.status() != 400) {
                        return Uni.createFrom().failure(api);
                    }
                    return invalid.apply(api.violations()).map(html -> Response.status(400).entity(html).build());
                });
    }

    private Uni<String> render(Notice notice, FormRow form, HttpServerRequest request) {
        // one after the other: both read the database, and a reactive session takes one query at a time
        return keys.listActiveWithBudgets().chain(active -> teams.list().map(all -> {
            List<KeyRow> rows = new ArrayList<>(active.stream()
                    .map(k -> new KeyRow(k, BudgetBar.of(k.budget()), false)).toList());
            if (notice.revoked() != null) {
                rows.add(new KeyRow(notice.revoked(), null, true));
            }
            return pages.page(list.data("keys", rows).data("created", notice.created())
                    .data("rotated", notice.rotated()).data("revoked", notice.revoked()).data("form", form)
                    .data("teams", teamNames(all)), "keys", request).render();
        }));
    }

    private Uni<String> renderEdit(ApiKeyView key, FormRow form, FormRow rotation, boolean saved,
            HttpServerRequest request) {
        String scope = "key:" + key.id();
        return Uni.combine().all().unis(teams.list(), backends.budgetAlerts(scope, BudgetAlerts.RECENT, null))
                .asTuple().map(t -> pages.page(edit.data("key", key).data("bar", BudgetBar.of(key.budget()))
                        .data("form", form).data("rotation", rotation).data("saved", saved)
                        .data("teams", teamNames(t.getItem1())).data("maxGrace", ApiKeyService.MAX_GRACE_SECONDS)
                        .data("recent", BudgetAlerts.recent(scope, t.getItem2())), "keys", request).render());
    }

    private static List<String> teamNames(List<TeamView> teams) {
        return teams.stream().map(TeamView::name).toList();
    }
}
