package io.visca.gateway.registry.provider.rest;

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

import io.smallrye.mutiny.Uni;
import io.visca.gateway.kit.admin.error.ApiError;
import io.visca.gateway.registry.config.OpenApiDefinition;
import io.visca.gateway.registry.provider.client.ConnectionTestReport;
import io.visca.gateway.registry.provider.client.ConnectionTester;
import io.visca.gateway.registry.provider.service.ProviderService;

/** "Test Connection" of the admin UI: calls a stored provider's endpoints for real and reports how each answered. */
@Path("/api/providers/{name}/test")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "providers")
@SecurityRequirement(name = OpenApiDefinition.ADMIN)
public class ProviderConnectionResource {

    private final ProviderService providers;
    private final ConnectionTester tester;

    ProviderConnectionResource(ProviderService providers, ConnectionTester tester) {
        this.providers = providers;
        this.tester = tester;
    }

    @POST
    @Operation(summary = "Test Connection", description = "Calls each endpoint with the provider's auth (${NAME} "
            + "read from this service's environment): the type's model listing, then a one-token chat to the first "
            + "chat model, then the health check as the health monitor makes it. Always 200 when the provider "
            + "exists: failures are per endpoint, with a reason (dns, refused, tls, auth, timeout, unexpected_body, "
            + "http_error, network, missing_secret, forbidden_secret, refused_by_policy: the outbound URL policy "
            + "refuses the address and nothing was sent, unhealthy: the health check's answer is not healthy, "
            + "invalid_health_check, unknown_type: a stored provider of a type this registry does not know, nothing "
            + "was sent).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ConnectionTestReport.class)))
    @APIResponse(responseCode = "401", description = "Missing or wrong admin token", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such provider", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ConnectionTestReport> test(@RestPath String name) {
        return providers.getForCall(name).chain(tester::test);
    }
}
