package io.visca.gateway.registry.snapshot;

import jakarta.ws.rs.GET;
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

import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.RegistrySnapshot;
import io.visca.gateway.kit.admin.error.ApiError;
import io.visca.gateway.registry.config.OpenApiDefinition;
import io.visca.gateway.registry.provider.service.ProviderService;
import io.visca.gateway.registry.security.ServiceAuthenticated;

/**
 * Service-to-service reads for the router and the health monitor. These carry provider secrets as stored: literals
 * encrypted under the secrets key (the services that call upstreams hold it and decrypt them when they take the
 * snapshot in), {@code ${NAME}} references as written. They take the service token, never the admin token.
 */
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
@ServiceAuthenticated
@Tag(name = "internal")
@SecurityRequirement(name = OpenApiDefinition.SERVICE)
@APIResponse(responseCode = "401", description = "Missing or wrong service token", content = @Content(schema = @Schema(implementation = ApiError.class)))
public class InternalResource {

    private final SnapshotService snapshots;
    private final ProviderService providers;

    InternalResource(SnapshotService snapshots, ProviderService providers) {
        this.snapshots = snapshots;
        this.providers = providers;
    }

    @GET
    @Path("/snapshot")
    @Operation(summary = "The whole registry, consistent at one revision", description = "Every provider, enabled or not, with secrets as stored (literals encrypted: enc:v1:...); the hashes of active keys.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RegistrySnapshot.class)))
    public Uni<RegistrySnapshot> snapshot() {
        return snapshots.snapshot();
    }

    @GET
    @Path("/providers/{name}")
    @Operation(summary = "One provider with secrets as stored (literals encrypted)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProviderConfig.class)))
    @APIResponse(responseCode = "404", description = "No such provider", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ProviderConfig> provider(@RestPath String name) {
        return providers.getStored(name);
    }
}
