package io.visca.gateway.billing.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;
import io.visca.gateway.billing.config.BillingConfig;
import io.visca.gateway.kit.admin.security.ApiTokens;
import io.visca.gateway.kit.admin.security.BearerRealms;
import io.visca.gateway.kit.admin.security.TokenThrottleConfig;

/**
 * Billing's bearer tokens (the admin kit's {@code BearerTokenFilter} checks them): every REST resource opens with
 * {@code GATEWAY_ADMIN_TOKEN} or {@code BILLING_API_TOKEN}. Without either, the start fails.
 */
@ApplicationScoped
@Startup
public class BillingRealms implements BearerRealms {

    private final Realm finance;
    private final TokenThrottleConfig throttle;

    BillingRealms(BillingConfig config) {
        ApiTokens tokens = new ApiTokens(config.adminToken(), config.apiToken());
        if (tokens.isEmpty()) {
            throw new IllegalStateException("GATEWAY_ADMIN_TOKEN (billing.admin-token) or BILLING_API_TOKEN "
                    + "(billing.api-token) must be set to a non-blank value");
        }
        this.finance = new Realm("visca-billing", tokens,
                "the admin token (GATEWAY_ADMIN_TOKEN) or the billing token (BILLING_API_TOKEN)");
        this.throttle = config.tokenThrottle();
    }

    @Override
    public Realm realmOf(Class<?> resourceClass) {
        return finance;
    }

    @Override
    public TokenThrottleConfig throttle() {
        return throttle;
    }
}
