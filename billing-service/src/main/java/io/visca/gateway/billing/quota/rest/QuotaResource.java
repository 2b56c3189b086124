package io.visca.gateway.billing.quota.rest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.billing.config.OpenApiDefinition;
import io.visca.gateway.billing.quota.service.QuotaService;
import io.visca.gateway.billing.security.ServiceAuthenticated;
import io.visca.gateway.contracts.quota.BudgetStatus;
import io.visca.gateway.contracts.quota.QuotaAnswer;
import io.visca.gateway.contracts.quota.QuotaExchange;
import io.visca.gateway.kit.admin.error.ApiError;
import io.visca.gateway.kit.admin.error.ApiException;

/**
 * The quota store the routers call ({@code GATEWAY_SERVICE_TOKEN}): budget leases and rate grants, exact across any
 * number of routers (see {@link QuotaService}), and the budgets' state for the registry and dashboards. A 503 means
 * the database cannot be reached: a router keeps using what it holds.
 */
@Path("/internal/quota")
@Tag(name = "quota")
@ServiceAuthenticated
@SecurityRequirement(name = OpenApiDefinition.SERVICE_TOKEN)
@APIResponse(responseCode = "400", description = "A malformed exchange or query, every mistake named in error.violations", content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "401", description = "Missing or wrong service token", content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "503", description = "The store's database cannot be reached (quota_store_unavailable)", content = @Content(schema = @Schema(implementation = ApiError.class)))
public class QuotaResource {

    private final QuotaService service;

    QuotaResource(QuotaService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Release, hold and ask for quota", description = "One router's exchange, in one "
            + "transaction: releases (with what each lease used), then held leases (extended by the lease time), "
            + "then asks (budget leases, request and token grants), answered in the asks' order. Leases held or "
            + "released that the store reclaimed or does not know are listed in expired.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = QuotaAnswer.class)))
    public Uni<QuotaAnswer> exchange(QuotaExchange exchange) {
        return service.exchange(exchange);
    }

    @GET
    @Path("/budgets")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Budgets' spend and reservations", description = "Per scope (key:<id> or team:<name>), in "
            + "the window starting at window_start: what the ledger billed (spent_usd) and what leases still hold "
            + "beyond it (reserved_usd). A scope no router asked for yet reports the ledger's spend since the window's "
            + "start and nothing reserved.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BudgetStatus.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public Uni<List<BudgetStatus>> budgets(
            @Parameter(description = "key:<id> or team:<name>, repeated, 1 to 200") @QueryParam("scope") List<String> scopes,
            @Parameter(description = "The period's start (BudgetPeriod.start), ISO-8601", example = "2026-11-01T00:00:00Z") @QueryParam("window_start") String windowStart) {
        return service.budgets(scopes, instant(windowStart));
    }

    private static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid("invalid_parameter", "window_start", "is required (an ISO-8601 instant)");
        }
        try {
            // a '+' of an offset arrives as a space when the client did not encode it
            return OffsetDateTime.parse(value.strip().replace(' ', '+')).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("invalid_parameter", "window_start",
                    "is not an ISO-8601 instant, e.g. 2026-11-01T00:00:00Z");
        }
    }
}
