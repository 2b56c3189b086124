package io.visca.gateway.health.registry;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.provider.RegistrySnapshot;

/** The registry's internal API (Quarkus REST Client, {@code quarkus.rest-client.registry.url}). */
@RegisterRestClient(configKey = "registry")
@Path("/internal")
public interface RegistryClient {

    /** Every provider (enabled or not), literal secrets included: guarded by the service token. */
    @GET
    @Path("/snapshot")
    Uni<RegistrySnapshot> snapshot(@HeaderParam("Authorization") String bearerServiceToken);
}
