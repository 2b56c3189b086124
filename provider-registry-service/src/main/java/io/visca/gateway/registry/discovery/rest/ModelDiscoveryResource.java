package io.visca.gateway.registry.discovery.rest;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.kit.admin.error.ApiError;
import io.visca.gateway.registry.config.OpenApiDefinition;
import io.visca.gateway.registry.discovery.service.ModelDiscovery;
import io.visca.gateway.registry.provider.service.ProviderService;
import io.visca.gateway.registry.provider.service.ProviderViews;

/** Model discovery on demand: lists a provider's endpoints now, instead of at the next scheduled round. */
@Path("/api/providers/{name}/models/refresh")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "providers")
@SecurityRequirement(name = OpenApiDefinition.ADMIN)
@APIResponse(responseCode = "401", description = "Missing or wrong admin token", content = @Content(schema = @Schema(implementation = ApiError.class)))
public class ModelDiscoveryResource {

    private final ModelDiscovery discovery;
    private final ProviderService providers;
    private final ProviderViews views;

    ModelDiscoveryResource(ModelDiscovery discovery, ProviderService providers, ProviderViews views) {
        this.discovery = discovery;
        this.providers = providers;
        this.views = views;
    }

    @POST
    @Operation(summary = "Discover a provider's models now", description = "For a provider saved without models: "
            + "reads each endpoint's model listing and answers the provider with its discovered models and the "
            + "discovery status (per endpoint failures are in discovery.error, not an error status).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProviderConfig.class)))
    @APIResponse(responseCode = "404", description = "No such provider", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "The provider's models are configured, or its type has no model listing", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ObjectNode> refresh(@RestPath String name) {
        return discovery.refresh(name).chain(() -> providers.get(name)).chain(views::json);
    }
}
