package io.visca.gateway.registry.dashboard.rest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

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

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.kit.admin.error.Violation;
import io.visca.gateway.registry.dashboard.client.BudgetAlerts;
import io.visca.gateway.registry.dashboard.client.DashboardBackends;
import io.visca.gateway.registry.dashboard.form.BudgetBar;
import io.visca.gateway.registry.dashboard.form.FormRow;
import io.visca.gateway.registry.dashboard.form.PolicyForm;
import io.visca.gateway.registry.dashboard.session.Dashboard;
import io.visca.gateway.registry.dashboard.session.DashboardPages;
import io.visca.gateway.registry.team.mapping.TeamPatch;
import io.visca.gateway.registry.team.mapping.TeamView;
import io.visca.gateway.registry.team.service.TeamService;

/**
 * Teams: the list with each team's limits and its budget's spend (across all its keys), create, edit (with the
 * team's recent budget alerts, {@link BudgetAlerts}) and delete.
 * Every change goes through {@link TeamService} with the API's own {@link TeamPatch}; a delete refused because keys
 * still name the team (409 {@code team_in_use}) is shown on the list with the API's message.
 */
@Path("/teams")
@Dashboard
@Produces(MediaType.TEXT_HTML)
public class TeamsPage {

    private final TeamService teams;
    private final DashboardBackends backends;
    private final DashboardPages pages;
    private final Template list;
    private final Template edit;

    TeamsPage(TeamService teams, DashboardBackends backends, DashboardPages pages,
            @Location("dashboard/teams.html") Template list, @Location("dashboard/team-form.html") Template edit) {
        this.teams = teams;
        this.backends = backends;
        this.pages = pages;
        this.list = list;
        this.edit = edit;
    }

    /** A row of the table. */
    public record TeamRow(TeamView team, BudgetBar bar) {
    }

    @GET
    public Uni<String> list(@RestQuery String deleted, HttpServerRequest request) {
        return render(PolicyForm.blank(), deleted, null, request);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(MultivaluedMap<String, String> form, HttpServerRequest request) {
        pages.requireCsrf(request, form.getFirst("csrf"));
        FormRow typed = PolicyForm.typed(form, PolicyForm.TEAM_FIELDS);
        PolicyForm.Body body = PolicyForm.body(typed, PolicyForm.TEAM_FIELDS, true, null);
        if (!body.violations().isEmpty()) {
            return invalidList(typed, body.violations(), 400, request);
        }
        return Uni.createFrom().deferred(() -> teams.create(TeamPatch.forCreate(body.json())))
                .map(team -> Response.seeOther(URI.create("/teams/" + team.name() + "/edit?saved=1")).build())
                .onFailure(ApiException.class).recoverWithUni(e -> {
                    ApiException api = (ApiException) e;
                    return api.status() == 400 || api.status() == 409
                            ? invalidList(typed, violationsOf(api), api.status(), request)
                            : Uni.createFrom().failure(api);
                });
    }

    @GET
    @Path("/{name}/edit")
    public Uni<String> edit(@RestPath String name, @RestQuery String saved, HttpServerRequest request) {
        return teams.get(name).chain(team -> renderEdit(team, PolicyForm.of(team), "1".equals(saved), request));
    }

    @POST
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> update(@RestPath String name, MultivaluedMap<String, String> form,
            HttpServerRequest request) {
        pages.requireCsrf(request, form.getFirst("csrf"));
        return teams.get(name).chain(stored -> {
            FormRow typed = PolicyForm.typed(form, PolicyForm.TEAM_FIELDS);
            typed.values().put("name", name); // a team is never renamed: the form's name is only shown
            PolicyForm.Body body = PolicyForm.body(typed, PolicyForm.TEAM_FIELDS, false, stored.metadata());
            if (!body.violations().isEmpty()) {
                return invalidEdit(stored, typed, body.violations(), request);
            }
            return Uni.createFrom().deferred(() -> teams.update(name, TeamPatch.forUpdate(body.json())))
                    .map(team -> Response.seeOther(URI.create("/teams/" + name + "/edit?saved=1")).build())
                    .onFailure(ApiException.class).recoverWithUni(e -> {
                        ApiException api = (ApiException) e;
                        if (api.status() != 400) {
                            return Uni.createFrom().failure(api);
                        }
                        return invalidEdit(stored, typed, api.violations(), request);
                    });
        });
    }

    @POST
    @Path("/{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@RestPath String name, @RestForm String csrf, HttpServerRequest request) {
        pages.requireCsrf(request, csrf);
        return teams.delete(name)
                .map(ignored -> Response.seeOther(URI.create("/teams?deleted="
                        + URLEncoder.encode(name, StandardCharsets.UTF_8))).build())
                .onFailure(ApiException.class).recoverWithUni(e -> {
                    ApiException api = (ApiException) e;
                    if (api.status() != 409) {
                        return Uni.createFrom().failure(api);
                    }
                    return render(PolicyForm.blank(), null, new Refusal(name, api.getMessage()), request)
                            .map(html -> Response.status(409).entity(html).build());
                });
    }

    /** A delete the API refused: which team and why. */
    public record Refusal(String team, String message) {
    }

    private Uni<Response> invalidList(FormRow typed, List<Violation> violations, int status,
            HttpServerRequest request) {
        return render(PolicyForm.withViolations(typed, violations), null, null, request)
                .map(html -> Response.status(status).entity(html).build());
    }

    private Uni<Response> invalidEdit(TeamView stored, FormRow typed, List<Violation> violations,
            HttpServerRequest request) {
        return renderEdit(stored, PolicyForm.withViolations(typed, violations), false, request)
                .map(html -> Response.status(400).entity(html).build());
    }

    private Uni<String> render(FormRow form, String deleted, Refusal refused, HttpServerRequest request) {
        return teams.listWithBudgets().map(all -> pages.page(list
                .data("teams", all.stream().map(t -> new TeamRow(t, BudgetBar.of(t.budget()))).toList())
                .data("form", form).data("deleted", deleted).data("refused", refused), "teams", request)
                .render());
    }

    private Uni<String> renderEdit(TeamView team, FormRow form, boolean saved, HttpServerRequest request) {
        String scope = "team:" + team.name();
        return backends.budgetAlerts(scope, BudgetAlerts.RECENT, null).map(read -> pages.page(edit.data("team", team)
                .data("bar", BudgetBar.of(team.budget())).data("form", form).data("saved", saved)
                .data("recent", BudgetAlerts.recent(scope, read)), "teams", request).render());
    }

    private static List<Violation> violationsOf(ApiException e) {
        if (!e.violations().isEmpty()) {
            return e.violations();
        }
        return List.of(new Violation(e.param() == null ? "" : e.param(), e.getMessage()));
    }
}
