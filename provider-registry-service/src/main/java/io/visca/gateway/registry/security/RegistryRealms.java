package io.visca.gateway.registry.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;
import io.visca.gateway.kit.admin.security.ApiTokens;
import io.visca.gateway.kit.admin.security.BearerRealms;
import io.visca.gateway.kit.admin.security.TokenThrottleConfig;
import io.visca.gateway.registry.config.RegistryConfig;
import io.visca.gateway.registry.dashboard.session.Dashboard;

/**
 * The registry's bearer tokens (the admin kit's {@code BearerTokenFilter} checks them): {@code GATEWAY_SERVICE_TOKEN}
 * for resource classes marked {@link ServiceAuthenticated}, {@code GATEWAY_ADMIN_TOKEN} for all others; classes marked
 * {@link Dashboard} (the web dashboard) take a session instead. Both tokens are required: a blank one fails the start.
 */
@ApplicationScoped
@Startup
public class RegistryRealms implements BearerRealms {

    private final Realm admin;
    private final Realm service;
    private final TokenThrottleConfig throttle;

    RegistryRealms(RegistryConfig config) {
        ApiTokens.require("GATEWAY_ADMIN_TOKEN (registry.admin-token)", config.adminToken());
        ApiTokens.require("GATEWAY_SERVICE_TOKEN (registry.service-token)", config.serviceToken());
        this.admin = new Realm("visca-admin", new ApiTokens(Optional.of(config.adminToken())),
                "the admin token (GATEWAY_ADMIN_TOKEN)");
        this.service = new Realm("visca-internal", new ApiTokens(Optional.of(config.serviceToken())),
                "the service token (GATEWAY_SERVICE_TOKEN)");
        this.throttle = config.tokenThrottle();
    }

    @Override
    public Realm realmOf(Class<?> resourceClass) {
        if (resourceClass != null && resourceClass.isAnnotationPresent(Dashboard.class)) {
            return null; // the dashboard's pages take a session cookie (DashboardSessionFilter), not a bearer token
        }
        return resourceClass != null && resourceClass.isAnnotationPresent(ServiceAuthenticated.class) ? service
                : admin;
    }

    @Override
    public TokenThrottleConfig throttle() {
        return throttle;
    }

    /** Whether {@code presented} is the admin token (the dashboard's login). */
    public boolean isAdmin(String presented) {
        return admin.tokens().accepts(presented);
    }
}
