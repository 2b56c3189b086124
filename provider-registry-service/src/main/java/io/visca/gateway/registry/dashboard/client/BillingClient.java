package io.visca.gateway.registry.dashboard.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** Billing's finance API ({@code registry.billing-url}, bearer GATEWAY_ADMIN_TOKEN). */
@RegisterRestClient(configKey = "billing")
@Path("/api/usage")
public interface BillingClient {

    @GET
    @Path("/summary")
    Uni<JsonNode> summary(@HeaderParam("Authorization") String authorization, @QueryParam("group_by") String groupBy,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("provider") String provider,
            @QueryParam("model") String model);

    @GET
    @Path("/reconciliation")
    Uni<JsonNode> reconciliation(@HeaderParam("Authorization") String authorization, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("provider") String provider, @QueryParam("model") String model);

    @GET
    @Path("/export")
    @jakarta.ws.rs.Produces("text/csv")
    Uni<String> export(@HeaderParam("Authorization") String authorization, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("provider") String provider, @QueryParam("model") String model);

    @GET
    @Path("/timeseries")
    Uni<JsonNode> timeseries(@HeaderParam("Authorization") String authorization, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("bucket") String bucket, @QueryParam("provider") String provider,
            @QueryParam("model") String model);
}
