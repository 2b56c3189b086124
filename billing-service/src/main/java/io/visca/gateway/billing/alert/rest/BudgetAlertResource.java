package io.visca.gateway.billing.alert.rest;

import java.util.List;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.billing.alert.mapping.BudgetAlertPage;
import io.visca.gateway.billing.alert.mapping.BudgetAlertView;
import io.visca.gateway.billing.alert.repository.BudgetAlertRepository;
import io.visca.gateway.billing.alert.repository.BudgetAlertRepository.Alert;
import io.visca.gateway.billing.config.BillingConfig;
import io.visca.gateway.billing.config.OpenApiDefinition;
import io.visca.gateway.billing.finance.rest.UsageParams;
import io.visca.gateway.kit.admin.error.ApiError;

/**
 * The budget alerts billing recorded (a key's or team's spend reaching 50, 80 and 100 % of its budget in a period),
 * newest first, with their webhook delivery state: what the dashboard shows. Opens with the finance API's tokens.
 */
@Path("/api/budget-alerts")
@Tag(name = "budget alerts")
@SecurityRequirement(name = OpenApiDefinition.TOKEN)
@APIResponse(responseCode = "400", description = "A bad parameter, named in error.param and error.violations", content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "401", description = "Missing or wrong token", content = @Content(schema = @Schema(implementation = ApiError.class)))
public class BudgetAlertResource {

    private static final Set<String> PARAMETERS = Set.of("scope", "limit", "cursor");

    private final BudgetAlertRepository alerts;
    private final BillingConfig.Api config;

    BudgetAlertResource(BudgetAlertRepository alerts, BillingConfig config) {
        this.alerts = alerts;
        this.config = config.api();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Budget alerts, newest first", description = "One alert per budget (key:<id> or "
            + "team:<name>), period and threshold (50, 80, 100 percent) the billed spend reached, with when it was "
            + "found, the spend and limit then, and the webhook's delivery state (delivered_at, attempts, "
            + "last_error). Pass next_cursor as cursor for the next page (null on the last).")
    @Parameter(name = "scope", in = ParameterIn.QUERY, description = "Only this budget: key:<id> or team:<name>", example = "key:3f2c")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "1 to 1000; default 100")
    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "next_cursor of the previous page")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BudgetAlertPage.class)))
    public Uni<BudgetAlertPage> list(@Context UriInfo uri) {
        UsageParams params = new UsageParams(uri.getQueryParameters(), PARAMETERS);
        String scope = params.text("scope");
        int limit = params.limit(config.defaultLimit(), config.maxLimit());
        Long cursor = params.position("cursor");
        params.done();
        // one more than asked: whether there is a next page
        return alerts.page(scope, cursor, limit + 1).map(rows -> {
            List<Alert> page = rows.size() > limit ? rows.subList(0, limit) : rows;
            String next = rows.size() > limit ? Long.toString(page.get(page.size() - 1).seq()) : null;
            return new BudgetAlertPage(page.stream().map(BudgetAlertView::of).toList(), next);
        });
    }
}
