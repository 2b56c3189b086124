package io.visca.gateway.registry.dashboard.rest;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.registry.apikey.mapping.ApiKeyView;
import io.visca.gateway.registry.apikey.service.ApiKeyService;
import io.visca.gateway.registry.dashboard.client.BudgetAlerts;
import io.visca.gateway.registry.dashboard.client.DashboardBackends;
import io.visca.gateway.registry.dashboard.session.Dashboard;
import io.visca.gateway.registry.dashboard.session.DashboardPages;
import io.visca.gateway.registry.team.mapping.TeamView;
import io.visca.gateway.registry.team.service.TeamService;

/**
 * Budget alerts: what billing recorded when a key's or team's spend reached 50, 80 or 100 % of its budget (the
 * events its webhook posts), newest first, page by page; {@code ?scope=key:<id>} or {@code team:<name>} shows one
 * budget's (the keys' and teams' edit pages show their recent ones and link here). Billing is read with the
 * dashboard's timeout; when it cannot be read the page says so and renders the rest.
 */
@Path("/budget-alerts")
@Dashboard
@Produces(MediaType.TEXT_HTML)
public class BudgetAlertsPage {

    private final ApiKeyService keys;
    private final TeamService teams;
    private final DashboardBackends backends;
    private final DashboardPages pages;
    private final Template page;

    BudgetAlertsPage(ApiKeyService keys, TeamService teams, DashboardBackends backends, DashboardPages pages,
            @Location("dashboard/budget-alerts.html") Template page) {
        this.keys = keys;
        this.teams = teams;
        this.backends = backends;
        this.pages = pages;
        this.page = page;
    }

    /**
     * @param scope one budget's alerts; anything that is not {@code key:<id>} or {@code team:<name>} shows every
     *        budget's
     * @param cursor the next page's position as the page's "Older alerts" link gives it; anything else: the newest
     */
    @GET
    public Uni<String> show(@RestQuery String scope, @RestQuery String cursor, HttpServerRequest request) {
        String filter = BudgetAlerts.scope(scope);
        String from = BudgetAlerts.cursor(cursor);
        // the two database reads one after the other (one reactive session, one query at a time), billing meanwhile
        Uni<Names> names = keys.listActive().chain(active -> teams.list().map(all -> Names.of(active, all)));
        return Uni.combine().all().unis(names, backends.budgetAlerts(filter, BudgetAlerts.PAGE_SIZE, from)).asTuple()
                .map(t -> {
                    Names known = t.getItem1();
                    DashboardBackends.Read read = t.getItem2();
                    BudgetAlerts.Page alerts = read.available()
                            ? BudgetAlerts.page(read.body(), known.keys(), known.teams())
                            : BudgetAlerts.Page.EMPTY;
                    return pages.page(
                            page.data("read", read).data("alerts", alerts).data("scope", filter)
                                    .data("scopeQuery", BudgetAlerts.query(filter))
                                    .data("scopeLabel", label(filter, known)).data("older", from != null),
                            "budget-alerts",
                            request).render();
                });
    }

    /** The active keys' names by id and the teams' names: what the alerts link to. */
    record Names(Map<String, String> keys, Set<String> teams) {

        static Names of(List<ApiKeyView> keys, List<TeamView> teams) {
            Map<String, String> names = new HashMap<>();
            keys.forEach(k -> names.put(k.id(), k.name()));
            Set<String> teamNames = new HashSet<>();
            teams.forEach(t -> teamNames.add(t.name()));
            return new Names(names, teamNames);
        }
    }

    /** What the filtered page's heading names: a key by its name (its id when it is not active) or a team. */
    private static String label(String scope, Names known) {
        if (scope == null) {
            return null;
        }
        if (scope.startsWith("team:")) {
            return "team " + scope.substring(5);
        }
        String id = scope.substring(4);
        String name = known.keys().get(id);
        return name == null ? "key " + id : "key " + name;
    }
}
