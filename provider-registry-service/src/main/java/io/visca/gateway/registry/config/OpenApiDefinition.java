package io.visca.gateway.registry.config;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The OpenAPI document's header: the two bearer schemes and the tags the resources use. */
@OpenAPIDefinition(info = @Info(title = "Visca AI Gateway provider registry", version = "0.1.0", description = "Provider configs, model catalogue, gateway API keys and default routing policies. The /api admin API needs "
        + "`Authorization: Bearer $GATEWAY_ADMIN_TOKEN`; /internal is service-to-service "
        + "(`$GATEWAY_SERVICE_TOKEN`). Literal secrets are never returned: they read as \"********\", "
        + "which a PUT may send back to keep the stored value; ${NAME} references read as written."), tags = {
                @Tag(name = "providers", description = "Provider configs (admin)"),
                @Tag(name = "api-keys", description = "Gateway API keys of clients (admin)"),
                @Tag(name = "routing", description = "Default routing policies per model and for auto (admin)"),
                @Tag(name = "internal", description = "Service-to-service: the registry snapshot, with secrets") })
@SecuritySchemes({
        @SecurityScheme(securitySchemeName = OpenApiDefinition.ADMIN, type = SecuritySchemeType.HTTP, scheme = "bearer", description = "GATEWAY_ADMIN_TOKEN"),
        @SecurityScheme(securitySchemeName = OpenApiDefinition.SERVICE, type = SecuritySchemeType.HTTP, scheme = "bearer", description = "GATEWAY_SERVICE_TOKEN") })
public class OpenApiDefinition extends Application {

    public static final String ADMIN = "admin-token";
    public static final String SERVICE = "service-token";
}
