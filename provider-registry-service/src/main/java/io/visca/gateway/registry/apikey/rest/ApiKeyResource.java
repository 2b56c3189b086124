package io.visca.gateway.registry.apikey.rest;

import java.net.URI;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
import io.visca.gateway.registry.apikey.mapping.ApiKeyCreated;
import io.visca.gateway.registry.apikey.mapping.ApiKeyView;
import io.visca.gateway.registry.apikey.service.ApiKeyService;
import io.visca.gateway.registry.config.OpenApiDefinition;
import io.visca.gateway.registry.json.JsonBodies;
import io.visca.gateway.registry.json.JsonFields;
import io.visca.gateway.registry.json.Violations;

/** Gateway API keys for clients. The key is in the 201 of its creation and nowhere else, ever. */
@Path("/api/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "api-keys")
@SecurityRequirement(name = OpenApiDefinition.ADMIN)
@APIResponse(responseCode = "401", description = "Missing or wrong admin token", content = @Content(schema = @Schema(implementation = ApiError.class)))
public class ApiKeyResource {

    private static final Set<String> FIELDS = Set.of("name");
    private static final int MAX_NAME = 100;

    private final ApiKeyService service;

    ApiKeyResource(ApiKeyService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a key", description = "The answer holds the key; it is never shown again.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = NewApiKey.class)))
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = ApiKeyCreated.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<ApiKeyCreated>> create(String body) {
        return Uni.createFrom().item(() -> name(body))
                .chain(service::create)
                .map(created -> RestResponse.ResponseBuilder.<ApiKeyCreated> created(
                        URI.create("/api/keys/" + created.id())).entity(created).build());
    }

    @GET
    @Operation(summary = "List active keys", description = "Id, name, the first 8 characters and the creation "
            + "time of each active key; never a key or its hash.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ApiKeyView.class)))
    public Uni<List<ApiKeyView>> list() {
        return service.listActive();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a key", description = "The router stops accepting it at its next snapshot.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No active key with that id", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<Void>> revoke(@RestPath String id) {
        return service.revoke(id).map(ignored -> RestResponse.noContent());
    }

    private static String name(String body) {
        return name(JsonBodies.parse(body));
    }

    /**
     * The name of a new key from a body {@code {"name": ...}}, validated (also used by the dashboard).
     *
     * @throws io.visca.gateway.kit.admin.error.ApiException 400 listing the violations
     */
    public static String name(com.fasterxml.jackson.databind.JsonNode body) {
        Violations violations = new Violations();
        JsonFields fields = JsonFields.of(body, "", violations, FIELDS);
        String name = fields == null ? null : fields.requiredString("name");
        if (name != null && name.length() > MAX_NAME) {
            violations.add("name", "must be at most " + MAX_NAME + " characters");
        }
        violations.throwIfAny();
        return name.strip();
    }

    /** The body of POST. */
    public record NewApiKey(String name) {
    }
}
