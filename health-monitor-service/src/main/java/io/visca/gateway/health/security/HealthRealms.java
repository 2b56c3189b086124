package io.visca.gateway.health.security;

import java.util.Optional;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.kit.admin.security.ApiTokens;
import io.visca.gateway.kit.admin.security.SingleRealm;

/**
 * The monitor's bearer tokens (the admin kit's {@code BearerTokenFilter} checks them): every REST resource
 * ({@code /api/*}, all of them reads) opens with {@code GATEWAY_SERVICE_TOKEN}, the token the services use between
 * themselves, or, if set, {@code GATEWAY_ADMIN_TOKEN}, the one operators hold. The service token is required.
 */
@Singleton
@Startup
public class HealthRealms extends SingleRealm {

    HealthRealms(HealthConfig config) {
        super(new Realm("visca-health", tokens(config.serviceToken(), config.adminToken()),
                "the service token (GATEWAY_SERVICE_TOKEN) or the admin token (GATEWAY_ADMIN_TOKEN)"),
                config.tokenThrottle());
    }

    /**
     * @throws IllegalStateException when the service token is missing or blank (the admin token is optional)
     */
    static ApiTokens tokens(String serviceToken, Optional<String> adminToken) {
        ApiTokens.require("GATEWAY_SERVICE_TOKEN (health.service-token)", serviceToken);
        return new ApiTokens(Optional.of(serviceToken), adminToken);
    }
}
