package io.visca.gateway.billing.config;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The OpenAPI document's header: the bearer scheme and the tag the finance resource uses. */
@OpenAPIDefinition(info = @Info(title = "Visca AI Gateway billing", version = "0.1.0", description = "The usage ledger "
        + "fed by usage-recorded events, and the finance API over it: summaries, records, CSV export and "
        + "reconciliation. Needs `Authorization: Bearer $GATEWAY_ADMIN_TOKEN` (or `$BILLING_API_TOKEN`). Money is "
        + "USD as exact decimal strings; time ranges are [from, to) in UTC. The quota store the routers call "
        + "(/internal/quota) needs `Authorization: Bearer $GATEWAY_SERVICE_TOKEN`."), tags = {
                @Tag(name = "usage", description = "Spend and usage for finance"),
                @Tag(name = "quota", description = "Budget leases and rate grants for the routers") })
@SecurityScheme(securitySchemeName = OpenApiDefinition.TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer", description = "GATEWAY_ADMIN_TOKEN or BILLING_API_TOKEN")
@SecurityScheme(securitySchemeName = OpenApiDefinition.SERVICE_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer", description = "GATEWAY_SERVICE_TOKEN")
public class OpenApiDefinition extends Application {

    public static final String TOKEN = "billing-token";
    public static final String SERVICE_TOKEN = "service-token";
}
