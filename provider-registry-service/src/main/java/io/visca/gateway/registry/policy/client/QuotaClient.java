package io.visca.gateway.registry.policy.client;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.quota.BudgetStatus;

/**
 * Billing's quota store, read for the budget views of keys and teams (service token). Same client settings as the
 * dashboard's billing client ({@code quarkus.rest-client.billing}: {@code registry.billing-url}, 1 s connect, 2 s
 * read).
 */
@RegisterRestClient(configKey = "billing")
@Path("/internal/quota")
public interface QuotaClient {

    /**
     * @param scopes {@code key:<id>} or {@code team:<name>}, repeated
     * @param windowStart the budget period's start (ISO-8601)
     * @return one status per scope the store knows in that window (a scope it does not know has spent nothing)
     */
    @GET
    @Path("/budgets")
    Uni<List<BudgetStatus>> budgets(@HeaderParam("Authorization") String authorization,
            @QueryParam("scope") List<String> scopes, @QueryParam("window_start") String windowStart);
}
