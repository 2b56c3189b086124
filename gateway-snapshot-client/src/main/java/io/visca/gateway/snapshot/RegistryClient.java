package io.visca.gateway.snapshot;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.provider.RegistrySnapshot;

/**
 * The registry's internal API (Quarkus REST Client, {@code quarkus.rest-client.registry.url} in each service that
 * follows the registry).
 */
@RegisterRestClient(configKey = "registry")
@Path("/internal")
public interface RegistryClient {

    /** Every provider (enabled or not) and client key, literal secrets included: guarded by the service token. */
    @GET
    @Path("/snapshot")
    Uni<RegistrySnapshot> snapshot(@HeaderParam("Authorization") String bearerServiceToken);
}
