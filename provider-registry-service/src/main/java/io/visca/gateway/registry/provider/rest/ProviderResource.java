package io.visca.gateway.registry.provider.rest;

import java.net.URI;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.kit.admin.error.ApiError;
import io.visca.gateway.registry.config.OpenApiDefinition;
import io.visca.gateway.registry.json.JsonBodies;
import io.visca.gateway.registry.json.JsonFields;
import io.visca.gateway.registry.json.Violations;
import io.visca.gateway.registry.provider.advice.FieldWarning;
import io.visca.gateway.registry.provider.advice.PlainHttpAdvice;
import io.visca.gateway.registry.provider.mapping.ProviderDocument;
import io.visca.gateway.registry.provider.mapping.ProviderDocumentParser;
import io.visca.gateway.registry.provider.mapping.ProviderView;
import io.visca.gateway.registry.provider.service.ProviderService;
import io.visca.gateway.registry.provider.service.ProviderViews;

/**
 * The admin API of provider configs. Bodies are read as JSON trees by {@link ProviderDocumentParser}, so every
 * mistake is a 400 listing each violation by field path. Responses never show a literal secret: {@code api_key},
 * {@code password} and {@code client_secret} read as {@code "********"}, which a PUT may send back to keep the stored
 * value; {@code ${NAME}} references are shown as written. A create or replace whose URLs are plain http to a host
 * that is not loopback or private is saved and answered with {@code warnings} ({@link PlainHttpAdvice}).
 */
@Path("/api/providers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "providers")
@SecurityRequirement(name = OpenApiDefinition.ADMIN)
@APIResponse(responseCode = "401", description = "Missing or wrong admin token", content = @Content(schema = @Schema(implementation = ApiError.class)))
public class ProviderResource {

    private static final Set<String> PATCH_FIELDS = Set.of("enabled");

    private final ProviderService service;
    private final ProviderViews views;
    private final ObjectMapper json;
    private final ProviderDocumentParser parser = new ProviderDocumentParser();

    ProviderResource(ProviderService service, ProviderViews views, ObjectMapper json) {
        this.service = service;
        this.views = views;
        this.json = json;
    }

    @GET
    @Operation(summary = "List every provider, enabled or not, secrets redacted", description = "Each with "
            + "credentials (ok, missing, none), missing_secrets (names of ${NAME} references that do not resolve here), "
            + "managed (built in) and models_source (configured or discovered, with discovered_at and discovery); "
            + "these read-only fields are ignored when sent back.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ProviderView.class)))
    public Uni<List<ObjectNode>> list() {
        return service.list().chain(views::json);
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "Get one provider, secrets redacted, with credentials, missing_secrets and managed")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProviderView.class)))
    @APIResponse(responseCode = "404", description = "No such provider", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ObjectNode> get(@RestPath String name) {
        return service.get(name).chain(views::json);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a provider", description = "Accepts the shorthands base_url (one endpoint of weight "
            + "1) and a top-level api_key (bearer auth). Unknown fields are errors.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ProviderConfig.class)))
    @APIResponse(responseCode = "201", description = "Created; Location names the new provider. With warnings "
            + "([{field, message}]) when a URL is plain http to a host that is not loopback or private", content = @Content(schema = @Schema(implementation = ProviderConfig.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON or every violation by field path", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "A provider of that name exists", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<ObjectNode>> create(String body) {
        return Uni.createFrom().item(() -> parser.parse(body))
                .chain(document -> service.create(document).chain(views::json)
                        .map(created -> withWarnings(created, document)))
                .map(created -> RestResponse.ResponseBuilder.<ObjectNode> created(
                        URI.create("/api/providers/" + created.path("name").asText())).entity(created).build());
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a provider", description = "Full replace. The name in the body must match or be "
            + "absent; without enabled the current state is kept; \"********\" keeps the stored secret.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ProviderConfig.class)))
    @APIResponse(responseCode = "200", description = "Replaced; with warnings as for POST", content = @Content(schema = @Schema(implementation = ProviderConfig.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON or every violation by field path", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such provider", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ObjectNode> replace(@RestPath String name, String body) {
        return Uni.createFrom().item(() -> {
            JsonNode tree = JsonBodies.parse(body);
            if (tree instanceof ObjectNode object && !object.hasNonNull("name")) {
                object.put("name", name);
            }
            return parser.parse(tree);
        }).chain(document -> service.replace(name, document).chain(views::json)
                .map(replaced -> withWarnings(replaced, document)));
    }

    @PATCH
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Enable or disable a provider", description = "Body: {\"enabled\": true|false}. A disabled "
            + "provider keeps its config but gets no traffic.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = EnabledPatch.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProviderConfig.class)))
    @APIResponse(responseCode = "404", description = "No such provider", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ObjectNode> patch(@RestPath String name, String body) {
        return Uni.createFrom().item(() -> {
            Violations violations = new Violations();
            JsonFields fields = JsonFields.of(JsonBodies.parse(body), "", violations, PATCH_FIELDS);
            Boolean enabled = null;
            if (fields != null) {
                enabled = fields.bool("enabled");
                if (enabled == null && !fields.present("enabled")) {
                    violations.add("enabled", "is required: true or false");
                }
            }
            violations.throwIfAny();
            return enabled;
        }).chain(enabled -> service.setEnabled(name, enabled)).chain(views::json);
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Delete a provider")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such provider", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<Void>> delete(@RestPath String name) {
        return service.delete(name).map(ignored -> RestResponse.noContent());
    }

    /** The saved provider as the API shows it, plus {@code warnings} when there is advice (absent otherwise). */
    private ObjectNode withWarnings(ObjectNode saved, ProviderDocument document) {
        List<FieldWarning> warnings = PlainHttpAdvice.of(document);
        if (!warnings.isEmpty()) {
            saved.set("warnings", json.valueToTree(warnings));
        }
        return saved;
    }

    /** The body of PATCH. */
    public record EnabledPatch(boolean enabled) {
    }
}
