package io.visca.gateway.registry.team.rest;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.kit.admin.error.ApiError;
import io.visca.gateway.registry.config.OpenApiDefinition;
import io.visca.gateway.registry.json.JsonBodies;
import io.visca.gateway.registry.team.mapping.TeamPatch;
import io.visca.gateway.registry.team.mapping.TeamView;
import io.visca.gateway.registry.team.service.TeamService;

/** Teams: a budget and rates counted across all their keys (a request must fit both its key's and its team's). */
@Path("/api/teams")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "teams")
@SecurityRequirement(name = OpenApiDefinition.ADMIN)
@APIResponse(responseCode = "401", description = "Missing or wrong admin token", content = @Content(schema = @Schema(implementation = ApiError.class)))
public class TeamResource {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final TeamService service;

    TeamResource(TeamService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a team", description = "`name` (lowercase letters, digits, `.`, `_`, `-`; at most "
            + "63) and, optionally, `max_budget_usd` + `budget_period` (month when left out), "
            + "`requests_per_minute`, `tokens_per_minute`, `metadata`. Keys join it with `team`.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = NewTeam.class)))
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = TeamView.class)))
    @APIResponse(responseCode = "400", description = "Every violation, by field", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "A team of that name exists (`team_exists`)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<TeamView>> create(String body) {
        return Uni.createFrom().item(() -> TeamPatch.forCreate(JsonBodies.parse(body)))
                .chain(service::create)
                .map(team -> RestResponse.ResponseBuilder.<TeamView> created(URI.create("/api/teams/" + team.name()))
                        .entity(team).build());
    }

    @GET
    @Operation(summary = "List teams", description = "Every team with its limits, by name; the budget's spend is in "
            + "the GET of one team.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = TeamView.class)))
    public Uni<List<TeamView>> list() {
        return service.list();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One team", description = "Its limits and, when it has a budget, `budget`: the current "
            + "period's spend by all its keys, reservations of requests in flight and what remains (from billing; "
            + "`spend_unavailable` when billing cannot be read).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TeamView.class)))
    @APIResponse(responseCode = "404", description = "No such team (`team_not_found`)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<TeamView> get(@RestPath String name) {
        return service.get(name);
    }

    @PATCH
    @Path("/{name}")
    @Consumes({ MediaType.APPLICATION_JSON, MERGE_PATCH })
    @Operation(summary = "Change a team's limits or metadata", description = "A JSON merge patch: a field left out "
            + "is kept, null clears it (`max_budget_usd`: no budget, its period too); `metadata` is merged key by "
            + "key. A team is never renamed. Answers the team as GET does.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = TeamLimits.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TeamView.class)))
    @APIResponse(responseCode = "400", description = "Every violation, by field", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such team (`team_not_found`)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<TeamView> update(@RestPath String name, String body) {
        return Uni.createFrom().item(() -> TeamPatch.forUpdate(JsonBodies.parse(body)))
                .chain(patch -> service.update(name, patch));
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Delete a team", description = "Only while no active key names it: move its keys to another "
            + "team or revoke them first.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such team (`team_not_found`)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "Active keys name it (`team_in_use`)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<Void>> delete(@RestPath String name) {
        return service.delete(name).map(ignored -> RestResponse.noContent());
    }

    /** The body of POST (every field but {@code name} optional). */
    public record NewTeam(String name, BigDecimal maxBudgetUsd, String budgetPeriod, Integer requestsPerMinute,
            Integer tokensPerMinute, Map<String, String> metadata) {
    }

    /** The body of PATCH: any of these; null clears one. */
    public record TeamLimits(BigDecimal maxBudgetUsd, String budgetPeriod, Integer requestsPerMinute,
            Integer tokensPerMinute, Map<String, String> metadata) {
    }
}
