package io.visca.gateway.billing.security;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.visca.gateway.billing.config.BillingConfig;
import io.visca.gateway.kit.admin.security.ApiTokens;
import io.visca.gateway.kit.admin.security.BearerRealms;
import io.visca.gateway.kit.admin.security.TokenThrottleConfig;

/**
 * Billing's bearer tokens (the admin kit's {@code BearerTokenFilter} checks them): the finance API opens with
 * {@code GATEWAY_ADMIN_TOKEN} or {@code BILLING_API_TOKEN} (one of them is required: without either, the start fails);
 * resource classes marked {@link ServiceAuthenticated} ({@code /internal}, the quota store) open with
 * {@code GATEWAY_SERVICE_TOKEN} only. That one is optional, so billing still runs as a plain ledger without it, and
 * then every {@code /internal} call is a 401 (a warning at start says so).
 */
@Singleton
@Startup
public class BillingRealms implements BearerRealms {

    private static final Logger LOG = Logger.getLogger(BillingRealms.class);

    private final Realm finance;
    private final Realm service;
    private final TokenThrottleConfig throttle;

    BillingRealms(BillingConfig config) {
        this.finance = new Realm("visca-billing", tokens(config),
                "the admin token (GATEWAY_ADMIN_TOKEN) or the billing token (BILLING_API_TOKEN)");
        ApiTokens serviceTokens = new ApiTokens(config.serviceToken());
        if (serviceTokens.isEmpty()) {
            LOG.warn("GATEWAY_SERVICE_TOKEN (billing.service-token) is not set: the quota store (/internal/quota) "
                    + "refuses every call, so routers cannot lease budgets or rate limits");
        }
        this.service = new Realm("visca-internal", serviceTokens, "the service token (GATEWAY_SERVICE_TOKEN)");
        this.throttle = config.tokenThrottle();
    }

    @Override
    public Realm realmOf(Class<?> resourceClass) {
        return resourceClass != null && resourceClass.isAnnotationPresent(ServiceAuthenticated.class) ? service
                : finance;
    }

    @Override
    public TokenThrottleConfig throttle() {
        return throttle;
    }

    private static ApiTokens tokens(BillingConfig config) {
        ApiTokens tokens = new ApiTokens(config.adminToken(), config.apiToken());
        if (tokens.isEmpty()) {
            throw new IllegalStateException("GATEWAY_ADMIN_TOKEN (billing.admin-token) or BILLING_API_TOKEN "
                    + "(billing.api-token) must be set to a non-blank value");
        }
        return tokens;
    }
}
