package io.visca.gateway.billing.alert.mapping;

import java.util.List;

/** One page of budget alerts, newest first; {@code next_cursor} fetches the next (null on the last page). */
public record BudgetAlertPage(List<BudgetAlertView> data, String nextCursor) {
}
