package io.visca.gateway.registry.routing.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.routing.RoutingPolicies;
import io.visca.gateway.contracts.routing.RoutingPolicy;
import io.visca.gateway.kit.admin.error.ApiError;
import io.visca.gateway.registry.config.OpenApiDefinition;
import io.visca.gateway.registry.json.JsonBodies;
import io.visca.gateway.registry.json.Violations;
import io.visca.gateway.registry.routing.mapping.RoutingMapper;
import io.visca.gateway.registry.routing.mapping.RoutingPolicyParser;
import io.visca.gateway.registry.routing.service.RoutingService;

/**
 * The default routing policies: one for {@code "model": "auto"} and one per model id, applied by the router when a
 * request carries no {@code routing} of its own. The whole document or one entry at a time; every mistake is a 400
 * listing each violation by field path. A policy may name only providers in the registry; deleting a provider a
 * policy names is allowed (the router skips names it does not know).
 */
@Path("/api/routing")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "routing")
@SecurityRequirement(name = OpenApiDefinition.ADMIN)
@APIResponse(responseCode = "401", description = "Missing or wrong admin token", content = @Content(schema = @Schema(implementation = ApiError.class)))
public class RoutingResource {

    private static final String POLICY_RULES = "strategy: one of cost-optimized, latency-optimized, weighted, "
            + "round-robin, priority, least-busy, or absent for the router's default; providers: allow-list of "
            + "provider names in priority order, no duplicates; fallback: true or false (absent: true); weights: "
            + "provider name to an integer from 1 to " + RoutingPolicyParser.MAX_WEIGHT + ". Unknown fields are "
            + "errors; named providers must exist, unless the policy is unchanged.";

    private final RoutingService service;

    RoutingResource(RoutingService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "The default routing policies", description = "auto is null when none is set; a model "
            + "not in models gets the router's built-in default (priority in registry order, fallback on; for auto: "
            + "cost-optimized, fallback on).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RoutingPolicies.class)))
    public Uni<RoutingPolicies> get() {
        return service.get();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace every default routing policy", description = "Full replace: a policy the body "
            + "leaves out is deleted ({} deletes all). models keys are model ids, served now or not; 'auto' is the "
            + "top-level field. " + POLICY_RULES)
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RoutingPolicies.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RoutingPolicies.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON or every violation by field path", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RoutingPolicies> replace(String body) {
        return Uni.createFrom().item(() -> JsonBodies.parse(body)).chain(service::replace);
    }

    @PUT
    @Path("/auto")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the default routing policy of \"model\": \"auto\"", description = POLICY_RULES)
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RoutingPolicy.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RoutingPolicy.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON or every violation by field path", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RoutingPolicy> putAuto(String body) {
        return Uni.createFrom().item(() -> JsonBodies.parse(body))
                .chain(tree -> service.put(RoutingMapper.AUTO_KEY, tree));
    }

    @DELETE
    @Path("/auto")
    @Operation(summary = "Delete the routing policy of auto", description = "auto gets the router's built-in "
            + "default again: cost-optimized, fallback on.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No policy is set for auto", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<Void>> deleteAuto() {
        return service.delete(RoutingMapper.AUTO_KEY).map(ignored -> RestResponse.noContent());
    }

    @PUT
    @Path("/models/{model: .+}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the default routing policy of one model", description = "The model need not be "
            + "served by any provider now. " + POLICY_RULES)
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RoutingPolicy.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RoutingPolicy.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, a bad model id or every violation by field path", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RoutingPolicy> putModel(
            @Parameter(description = "Model id as clients send it; may contain '/'") @RestPath String model,
            String body) {
        return Uni.createFrom().item(() -> {
            checkModelId(model);
            return JsonBodies.parse(body);
        }).chain(tree -> service.put(model, tree));
    }

    @DELETE
    @Path("/models/{model: .+}")
    @Operation(summary = "Delete the routing policy of one model", description = "The model gets the router's "
            + "built-in default again: priority in registry order, fallback on.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No policy is set for that model", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<Void>> deleteModel(
            @Parameter(description = "Model id as clients send it; may contain '/'") @RestPath String model) {
        return Uni.createFrom().item(() -> {
            checkModelId(model);
            return model;
        }).chain(service::delete).map(ignored -> RestResponse.noContent());
    }

    private static void checkModelId(String model) {
        String problem = RoutingPolicyParser.modelIdProblem(model);
        if (problem != null) {
            throw Violations.invalid("model", problem);
        }
    }
}
