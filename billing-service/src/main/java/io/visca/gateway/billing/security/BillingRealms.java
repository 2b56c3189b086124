package io.visca.gateway.billing.security;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.visca.gateway.billing.config.BillingConfig;
import io.visca.gateway.kit.admin.security.ApiTokens;
import io.visca.gateway.kit.admin.security.SingleRealm;

/**
 * Billing's bearer tokens (the admin kit's {@code BearerTokenFilter} checks them): every REST resource opens with
 * {@code GATEWAY_ADMIN_TOKEN} or {@code BILLING_API_TOKEN}. Without either, the start fails.
 */
@Singleton
@Startup
public class BillingRealms extends SingleRealm {

    BillingRealms(BillingConfig config) {
        super(new Realm("visca-billing", tokens(config),
                "the admin token (GATEWAY_ADMIN_TOKEN) or the billing token (BILLING_API_TOKEN)"),
                config.tokenThrottle());
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
