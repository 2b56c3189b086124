package io.visca.gateway.registry.provider.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.visca.gateway.kit.admin.error.ApiError;
import io.visca.gateway.registry.config.OpenApiDefinition;
import io.visca.gateway.registry.provider.preset.ProviderPreset;
import io.visca.gateway.registry.provider.preset.ProviderPresets;

/** The presets "Add Custom Provider" starts from, read-only, as the data file holds them. */
@Path("/api/provider-presets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "providers")
@SecurityRequirement(name = OpenApiDefinition.ADMIN)
public class ProviderPresetResource {

    private final ProviderPresets presets;

    ProviderPresetResource(ProviderPresets presets) {
        this.presets = presets;
    }

    @GET
    @Operation(summary = "The provider presets", description = "One per provider the product page lists (vLLM, "
            + "Text Generation Inference, Ollama, LocalAI, LM Studio, Together AI, Replicate, Hugging Face, custom): "
            + "type, default base URL, auth type and ${NAME} reference, health check path, a hint and the example "
            + "file of examples/providers/. Read-only: the data file provider-presets.json is their source.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ProviderPreset.class)))
    @APIResponse(responseCode = "401", description = "Missing or wrong admin token", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<ProviderPreset> list() {
        return presets.all();
    }
}
