package io.visca.gateway.registry.apikey.rest;

import java.net.URI;
import java.util.List;
import java.util.Set;

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

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.kit.admin.error.ApiError;
import io.visca.gateway.registry.apikey.mapping.ApiKeyCreated;
import io.visca.gateway.registry.apikey.mapping.ApiKeyRotated;
import io.visca.gateway.registry.apikey.mapping.ApiKeyView;
import io.visca.gateway.registry.apikey.mapping.KeyPatch;
import io.visca.gateway.registry.apikey.service.ApiKeyService;
import io.visca.gateway.registry.config.OpenApiDefinition;
import io.visca.gateway.registry.json.JsonBodies;
import io.visca.gateway.registry.json.JsonFields;
import io.visca.gateway.registry.json.Violations;

/**
 * Gateway API keys for clients and their policy (team, models, expiry, budget, rates, metadata). A key is in the
 * answer of its creation or rotation and nowhere else, ever; its hash is never in an answer either.
 */
@Path("/api/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "api-keys")
@SecurityRequirement(name = OpenApiDefinition.ADMIN)
@APIResponse(responseCode = "401", description = "Missing or wrong admin token", content = @Content(schema = @Schema(implementation = ApiError.class)))
public class ApiKeyResource {

    private static final Set<String> ROTATE_FIELDS = Set.of("grace_seconds");
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final ApiKeyService service;

    ApiKeyResource(ApiKeyService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a key", description = "`name` and, optionally, its policy: `team` (must exist), "
            + "`models`, `expires_at` (in the future), `max_budget_usd` + `budget_period` (month when left out), "
            + "`requests_per_minute`, `tokens_per_minute`, `metadata`. The answer holds the key; it is never shown "
            + "again.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = NewApiKey.class)))
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = ApiKeyCreated.class)))
    @APIResponse(responseCode = "400", description = "Every violation, by field", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<ApiKeyCreated>> create(String body) {
        return Uni.createFrom().item(() -> KeyPatch.forCreate(JsonBodies.parse(body)))
                .chain(service::create)
                .map(created -> RestResponse.ResponseBuilder.<ApiKeyCreated> created(
                        URI.create("/api/keys/" + created.id())).entity(created).build());
    }

    @GET
    @Operation(summary = "List active keys", description = "Each active key (expired ones included, `expired`: "
            + "true) with its policy and the first 8 characters; never a key or its hash. The budget's spend is "
            + "in the GET of one key.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ApiKeyView.class)))
    public Uni<List<ApiKeyView>> list() {
        return service.listActive();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One key", description = "Its policy and, when it has a budget, `budget`: the current "
            + "period's spend, reservations of requests in flight and what remains (from billing; "
            + "`spend_unavailable` when billing cannot be read).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "404", description = "No active key with that id", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ApiKeyView> get(@RestPath String id) {
        return service.get(id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ MediaType.APPLICATION_JSON, MERGE_PATCH })
    @Operation(summary = "Change a key's name or policy", description = "A JSON merge patch: a field left out is "
            + "kept, a field set to null is cleared (`models`: every model; `max_budget_usd`: no budget, its period "
            + "too), `metadata` is merged key by key (a null value removes that key). An `expires_at` in the past "
            + "expires the key at once. Answers the key as GET does.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = KeyPolicy.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "400", description = "Every violation, by field", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No active key with that id", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ApiKeyView> update(@RestPath String id, String body) {
        return Uni.createFrom().item(() -> KeyPatch.forUpdate(JsonBodies.parse(body)))
                .chain(patch -> service.update(id, patch));
    }

    @POST
    @Path("/{id}/rotate")
    @Operation(summary = "Rotate a key", description = "A new key, valid at once and shown only in this answer. "
            + "The replaced one keeps working for `grace_seconds` (default 0: it stops at once; at most 604800 = 7 "
            + "days); rotating again replaces it. The body may be left out (then no Content-Type is needed).")
    @RequestBody(content = @Content(schema = @Schema(implementation = Rotation.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiKeyRotated.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No active key with that id", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ApiKeyRotated> rotate(@RestPath String id, String body) {
        return Uni.createFrom().item(() -> graceSeconds(body)).chain(grace -> service.rotate(id, grace));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a key", description = "The router stops accepting it at its next snapshot.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No active key with that id", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<Void>> revoke(@RestPath String id) {
        return service.revoke(id).map(ignored -> RestResponse.noContent());
    }

    private static int graceSeconds(String body) {
        return body == null || body.isBlank() ? 0 : graceSeconds(JsonBodies.parse(body));
    }

    /**
     * The grace of a rotation from a body {@code {"grace_seconds": N}} (the API's and the dashboard's form):
     * 0..{@link ApiKeyService#MAX_GRACE_SECONDS}, 0 when absent.
     *
     * @throws io.visca.gateway.kit.admin.error.ApiException 400 listing the violations
     */
    public static int graceSeconds(JsonNode body) {
        Violations violations = new Violations();
        JsonFields fields = JsonFields.of(body, "", violations, ROTATE_FIELDS);
        Integer grace = fields == null ? null
                : fields.integer("grace_seconds", 0, ApiKeyService.MAX_GRACE_SECONDS, "seconds");
        violations.throwIfAny();
        return grace == null ? 0 : grace;
    }

    /** The body of POST (every field but {@code name} optional). */
    public record NewApiKey(String name, String team, List<String> models, String expiresAt,
            java.math.BigDecimal maxBudgetUsd, String budgetPeriod, Integer requestsPerMinute,
            Integer tokensPerMinute, java.util.Map<String, String> metadata) {
    }

    /** The body of PATCH: any of these; null clears one. */
    public record KeyPolicy(String name, String team, List<String> models, String expiresAt,
            java.math.BigDecimal maxBudgetUsd, String budgetPeriod, Integer requestsPerMinute,
            Integer tokensPerMinute, java.util.Map<String, String> metadata) {
    }

    /** The body of a rotation. */
    public record Rotation(Integer graceSeconds) {
    }
}
