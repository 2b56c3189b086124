package io.visca.gateway.registry.policy.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    /** The quota store takes at most this many scopes in one call. */
    static final int MAX_SCOPES_PER_CALL = 200;

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

    /**
     * The budgets of many scopes at once (a dashboard list): one call to the quota store per period start and 200
     * scopes (its limit per call), each failing alone into {@code spend_unavailable}.
     *
     * @param limits by scope; scopes without a budget are left out of the answer
     */
    public Uni<Map<String, BudgetView>> all(Map<String, KeyLimits> limits, Instant now) {
        Map<Instant, List<String>> byStart = new LinkedHashMap<>();
        Map<String, BudgetPeriod> periods = new HashMap<>();
        limits.forEach((scope, limit) -> {
            BudgetPeriod period = limit.maxBudgetUsd() == null ? null : BudgetPeriod.of(limit.budgetPeriod());
            if (period != null) {
                periods.put(scope, period);
                byStart.computeIfAbsent(period.start(now), k -> new ArrayList<>()).add(scope);
            }
        });
        List<Uni<Map<String, BudgetView>>> calls = new ArrayList<>();
        byStart.forEach((start, scopes) -> {
            for (int from = 0; from < scopes.size(); from += MAX_SCOPES_PER_CALL) {
                List<String> chunk = scopes.subList(from, Math.min(scopes.size(), from + MAX_SCOPES_PER_CALL));
                calls.add(quota.budgets(authorization, chunk, start.toString()).ifNoItem().after(timeout).fail()
                        .map(statuses -> views(chunk, periods, limits, start, statuses))
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf("billing's quota store unavailable for %d budgets: %s", chunk.size(),
                                    describe(e));
                            return views(chunk, periods, limits, start, null);
                        }));
            }
        });
        if (calls.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Uni.join().all(calls).andFailFast().map(parts -> {
            Map<String, BudgetView> all = new HashMap<>();
            parts.forEach(all::putAll);
            return all;
        });
    }

    /** Views of {@code scopes}; {@code statuses} null: the store did not answer. */
    private static Map<String, BudgetView> views(List<String> scopes, Map<String, BudgetPeriod> periods,
            Map<String, KeyLimits> limits, Instant start, List<BudgetStatus> statuses) {
        Map<String, BudgetView> views = new HashMap<>();
        for (String scope : scopes) {
            BudgetPeriod period = periods.get(scope);
            BigDecimal max = limits.get(scope).maxBudgetUsd();
            views.put(scope, statuses == null ? BudgetView.unavailable(period.wireName(), start, max)
                    : view(scope, period, start, max, statuses));
        }
        return views;
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
