package io.visca.gateway.registry.policy.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.provider.BudgetPeriod;
import io.visca.gateway.contracts.provider.KeyLimits;
import io.visca.gateway.contracts.quota.BudgetStatus;
import io.visca.gateway.registry.config.RegistryConfig;
import io.visca.gateway.registry.policy.client.QuotaClient;
import io.visca.gateway.registry.policy.mapping.BudgetView;

/**
 * The budget view of a key or team: its limit and period from the registry, spend and reservations of the current
 * period from billing's quota store. A GET of a key or team never fails because billing is down or slow: after
 * {@code registry.budget-timeout} (or a refusal, an error status, an answer that is not the contract's) the budget
 * is shown with {@code spend_unavailable}, and the reason is logged (never a token).
 */
@ApplicationScoped
public class Budgets {

    private static final Logger LOG = Logger.getLogger(Budgets.class);

    private final QuotaClient quota;
    private final String authorization;
    private final Duration timeout;

    Budgets(@RestClient QuotaClient quota, RegistryConfig config) {
        this.quota = quota;
        this.authorization = "Bearer " + config.serviceToken();
        this.timeout = config.budgetTimeout();
    }

    /**
     * @param scope {@code key:<id>} or {@code team:<name>}
     * @return the budget in the period {@code now} falls in, or null when {@code limits} has no budget
     */
    public Uni<BudgetView> of(String scope, KeyLimits limits, Instant now) {
        BudgetPeriod period = limits.maxBudgetUsd() == null ? null : BudgetPeriod.of(limits.budgetPeriod());
        if (period == null) {
            return Uni.createFrom().nullItem();
        }
        Instant start = period.start(now);
        BigDecimal max = limits.maxBudgetUsd();
        return quota.budgets(authorization, List.of(scope), start.toString())
                .ifNoItem().after(timeout).fail()
                .map(statuses -> view(scope, period, start, max, statuses))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("billing's quota store unavailable for the budget of %s: %s", scope, describe(e));
                    return BudgetView.unavailable(period.wireName(), start, max);
                });
    }

    private static BudgetView view(String scope, BudgetPeriod period, Instant start, BigDecimal max,
            List<BudgetStatus> statuses) {
        BigDecimal spent = BigDecimal.ZERO;
        BigDecimal reserved = BigDecimal.ZERO;
        for (BudgetStatus status : statuses == null ? List.<BudgetStatus> of() : statuses) {
            if (status != null && scope.equals(status.scope())
                    && (status.windowStart() == null || start.equals(status.windowStart()))) {
                spent = status.spentUsd() == null ? BigDecimal.ZERO : status.spentUsd();
                reserved = status.reservedUsd() == null ? BigDecimal.ZERO : status.reservedUsd();
            }
        }
        return BudgetView.of(period.wireName(), start, max, spent, reserved);
    }

    private static String describe(Throwable e) {
        if (e instanceof jakarta.ws.rs.WebApplicationException web && web.getResponse() != null) {
            return "HTTP " + web.getResponse().getStatus();
        }
        return e.getClass().getSimpleName();
    }
}
