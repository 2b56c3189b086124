package io.visca.gateway.billing.alert.mapping;

import java.time.Instant;

import io.visca.gateway.billing.alert.repository.BudgetAlertRepository.Alert;

/**
 * The JSON body posted to {@code BUDGET_ALERT_WEBHOOK_URL} (snake_case): {@code type} is always
 * {@code budget.threshold_crossed}; the other fields as in {@link BudgetAlertView}. Holds no secret.
 */
public record WebhookPayload(String type, String id, String scope, String keyId, String team, Instant periodStart,
        int thresholdPercent, String spentUsd, String maxBudgetUsd, Instant crossedAt) {

    public static final String TYPE = "budget.threshold_crossed";

    public static WebhookPayload of(Alert alert) {
        BudgetAlertView v = BudgetAlertView.of(alert);
        return new WebhookPayload(TYPE, v.id(), v.scope(), v.keyId(), v.team(), v.periodStart(), v.thresholdPercent(),
                v.spentUsd(), v.maxBudgetUsd(), v.crossedAt());
    }
}
