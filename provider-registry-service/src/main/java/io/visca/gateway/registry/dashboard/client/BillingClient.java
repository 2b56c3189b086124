package io.visca.gateway.registry.dashboard.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** Billing's finance API ({@code registry.billing-url}, bearer GATEWAY_ADMIN_TOKEN): usage and budget alerts. */
@RegisterRestClient(configKey = "billing")
@Path("/api")
public interface BillingClient {

    @GET
    @Path("/usage/summary")
    Uni<JsonNode> summary(@HeaderParam("Authorization") String authorization, @QueryParam("group_by") String groupBy,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("provider") String provider,
            @QueryParam("model") String model);

    @GET
    @Path("/usage/reconciliation")
    Uni<JsonNode> reconciliation(@HeaderParam("Authorization") String authorization, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("provider") String provider, @QueryParam("model") String model);

    @GET
    @Path("/usage/export")
    @jakarta.ws.rs.Produces("text/csv")
    Uni<String> export(@HeaderParam("Authorization") String authorization, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("provider") String provider, @QueryParam("model") String model);

    @GET
    @Path("/usage/timeseries")
    Uni<JsonNode> timeseries(@HeaderParam("Authorization") String authorization, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("bucket") String bucket, @QueryParam("provider") String provider,
            @QueryParam("model") String model);

    /** The budget alerts billing recorded, newest first; {@code scope} ({@code key:<id>}, {@code team:<name>}) optional. */
    @GET
    @Path("/budget-alerts")
    Uni<JsonNode> budgetAlerts(@HeaderParam("Authorization") String authorization, @QueryParam("scope") String scope,
            @QueryParam("limit") int limit, @QueryParam("cursor") String cursor);
}
