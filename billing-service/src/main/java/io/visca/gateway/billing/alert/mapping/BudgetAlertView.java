package io.visca.gateway.billing.alert.mapping;

import java.time.Instant;

import io.visca.gateway.billing.alert.repository.BudgetAlertRepository.Alert;
import io.visca.gateway.billing.finance.mapping.Money;

/**
 * A budget alert as the API shows it and, without the delivery fields, as the webhook posts it
 * ({@link WebhookPayload}). {@code scope} is {@code key:<id>} or {@code team:<name>}; {@code key_id} or {@code team}
 * repeats the part after the colon (the other is null). Money is USD as exact decimal strings.
 *
 * @param id the same for one crossing however often it is posted: what a receiver de-duplicates on
 * @param periodStart the start of the budget's period (UTC), the counter's window
 * @param spentUsd the budget's billed spend when the crossing was recorded
 * @param maxBudgetUsd the budget's limit then
 * @param deliveredAt when the webhook took it (2xx); null while undelivered or without a webhook
 * @param attempts posts made so far
 * @param lastError why the last post failed, e.g. {@code HTTP 503}; null after a success
 */
public record BudgetAlertView(String id, String scope, String keyId, String team, Instant periodStart,
        int thresholdPercent, String spentUsd, String maxBudgetUsd, Instant crossedAt, Instant deliveredAt,
        int attempts, String lastError) {

    public static BudgetAlertView of(Alert a) {
        return new BudgetAlertView(a.id(), a.scope(), part(a.scope(), "key:"), part(a.scope(), "team:"),
                a.windowStart(), a.threshold(), Money.format(a.spent()), Money.format(a.limitUsd()), a.crossedAt(),
                a.deliveredAt(), a.attempts(), a.lastError());
    }

    private static String part(String scope, String prefix) {
        return scope.startsWith(prefix) ? scope.substring(prefix.length()) : null;
    }
}
