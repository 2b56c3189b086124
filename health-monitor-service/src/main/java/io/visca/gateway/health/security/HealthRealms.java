package io.visca.gateway.health.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;
import io.visca.gateway.health.config.HealthConfig;
import io.visca.gateway.kit.admin.security.ApiTokens;
import io.visca.gateway.kit.admin.security.BearerRealms;
import io.visca.gateway.kit.admin.security.TokenThrottleConfig;

/**
 * The monitor's bearer tokens (the admin kit's {@code BearerTokenFilter} checks them): every REST resource
 * ({@code /api/*}, all of them reads) opens with {@code GATEWAY_SERVICE_TOKEN}, the token the services use between
 * themselves, or, if set, {@code GATEWAY_ADMIN_TOKEN}, the one operators hold. The service token is required.
 */
@ApplicationScoped
@Startup
public class HealthRealms implements BearerRealms {

    private final Realm api;
    private final TokenThrottleConfig throttle;

    HealthRealms(HealthConfig config) {
        this.api = new Realm("visca-health", tokens(config.serviceToken(), config.adminToken()),
                "the service token (GATEWAY_SERVICE_TOKEN) or the admin token (GATEWAY_ADMIN_TOKEN)");
        this.throttle = config.tokenThrottle();
    }

    /**
     * @throws IllegalStateException when the service token is missing or blank (the admin token is optional)
     */
    static ApiTokens tokens(String serviceToken, Optional<String> adminToken) {
        ApiTokens.require("GATEWAY_SERVICE_TOKEN (health.service-token)", serviceToken);
        return new ApiTokens(Optional.of(serviceToken), adminToken);
    }

    @Override
    public Realm realmOf(Class<?> resourceClass) {
        return api;
    }

    @Override
    public TokenThrottleConfig throttle() {
        return throttle;
    }
}
