package io.visca.gateway.registry.dashboard.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** The health monitor's read API ({@code registry.health-monitor-url}, bearer GATEWAY_SERVICE_TOKEN). */
@RegisterRestClient(configKey = "health-monitor")
@Path("/api/health")
public interface HealthMonitorClient {

    @GET
    Uni<JsonNode> health(@HeaderParam("Authorization") String authorization);

    @GET
    @Path("/transitions")
    Uni<JsonNode> transitions(@HeaderParam("Authorization") String authorization,
            @QueryParam("provider") String provider, @QueryParam("since") String since,
            @QueryParam("limit") Integer limit);
}
