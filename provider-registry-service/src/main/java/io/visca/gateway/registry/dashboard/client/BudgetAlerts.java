package io.visca.gateway.registry.dashboard.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateData;

/**
 * Billing's budget alerts ({@code GET /api/budget-alerts}: a key's or team's billed spend reaching 50, 80 or 100 % of
 * its budget in a period, recorded once each and posted to the webhook) as the dashboard shows them: newest first,
 * in billing's order, each with the name of its key and whether the key or team still exists here (then the page
 * links to it). Everything is text from billing or from users (key names): the templates escape it.
 */
public final class BudgetAlerts {

    /** What the budget alerts page and the key and team sections ask billing for, at most, per page. */
    public static final int PAGE_SIZE = 50;
    /** The most recent alerts a key's or team's page shows. */
    public static final int RECENT = 5;

    /** A scope as billing writes it: {@code key:<id>} or {@code team:<name>}, nothing blank or absurdly long. */
    private static final Pattern SCOPE = Pattern.compile("(key|team):\\S{1,200}");
    /** Billing's cursor: a position in its table. */
    private static final Pattern CURSOR = Pattern.compile("[0-9]{1,18}");

    private BudgetAlerts() {
    }

    /**
     * One alert.
     *
     * @param keyId the key's id (a key's alert), else null
     * @param team the team's name (a team's alert), else null
     * @param keyName the key's name when the key is active here; null when it is gone (revoked) or unknown
     * @param teamExists whether the team exists here
     * @param periodStart the start (UTC) of the budget period the spend was counted in
     * @param spentUsd the billed spend when the threshold was crossed, as billing recorded it
     * @param maxBudgetUsd the budget then
     * @param deliveredAt when the webhook took it; null while not delivered (or without a webhook)
     * @param attempts webhook posts so far
     * @param lastError why the last post failed, as billing says it; null after a success
     */
    @TemplateData
    public record Alert(String id, String crossedAt, String scope, String keyId, String team, String keyName,
            boolean teamExists, int thresholdPercent, String periodStart, String spentUsd, String maxBudgetUsd,
            String deliveredAt, int attempts, String lastError) {

        /** Whether the page links to the key's (active keys) or the team's (existing teams) page. */
        public boolean linked() {
            return keyId != null ? keyName != null : teamExists;
        }

        /** The key's or team's page: only for ids and names that exist here (so safe to put in a path). */
        public String href() {
            return !linked() ? null : keyId != null ? "/keys/" + keyId + "/edit" : "/teams/" + team + "/edit";
        }

        public String spent() {
            return usd(spentUsd);
        }

        public String max() {
            return usd(maxBudgetUsd);
        }

        /** The webhook's state in words. */
        public String webhook() {
            if (deliveredAt != null) {
                return "delivered";
            }
            if (attempts == 0) {
                return "not posted";
            }
            return "not delivered after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                    + (lastError == null ? "" : ": " + lastError);
        }
    }

    /** A page of alerts and the cursor of the next (older) one, null on the last. */
    @TemplateData
    public record Page(List<Alert> alerts, String nextCursor) {

        public static final Page EMPTY = new Page(List.of(), null);
    }

    /**
     * The alerts of billing's answer.
     *
     * @param keyNames the names of the active keys, by id
     * @param teams the names of the teams that exist
     */
    public static Page page(JsonNode body, Map<String, String> keyNames, Set<String> teams) {
        List<Alert> alerts = new ArrayList<>();
        for (JsonNode row : body.path("data")) {
            String scope = text(row.path("scope"));
            String keyId = text(row.path("key_id"));
            String team = text(row.path("team"));
            if (keyId == null && team == null && scope != null) {
                keyId = scope.startsWith("key:") ? scope.substring(4) : null;
                team = scope.startsWith("team:") ? scope.substring(5) : null;
            }
            alerts.add(new Alert(text(row.path("id")), text(row.path("crossed_at")), scope, keyId, team,
                    keyId == null ? null : keyNames.get(keyId), team != null && teams.contains(team),
                    row.path("threshold_percent").asInt(), text(row.path("period_start")),
                    text(row.path("spent_usd")), text(row.path("max_budget_usd")), text(row.path("delivered_at")),
                    row.path("attempts").asInt(), text(row.path("last_error"))));
        }
        String next = text(body.path("next_cursor"));
        return new Page(alerts, next != null && CURSOR.matcher(next).matches() ? next : null);
    }

    /**
     * A key's or team's most recent alerts, for its own page (no names needed there).
     *
     * @param read billing's answer to {@code budgetAlerts(scope, RECENT, null)}
     */
    public static Recent recent(String scope, DashboardBackends.Read read) {
        return new Recent(read, read.available() ? page(read.body(), Map.of(), Set.of()).alerts() : List.of(), scope);
    }

    /** A key's or team's recent alerts, whether billing could be read, and the scope (the link to all of them). */
    @TemplateData
    public record Recent(DashboardBackends.Read read, List<Alert> alerts, String scope) {

        public String scopeQuery() {
            return query(scope);
        }
    }

    /** The scope filter of a page's query, or null when absent or not a scope billing could know. */
    public static String scope(String value) {
        return value != null && SCOPE.matcher(value.trim()).matches() ? value.trim() : null;
    }

    /** The cursor of a page's query, or null when absent or not one of billing's. */
    public static String cursor(String value) {
        return value != null && CURSOR.matcher(value).matches() ? value : null;
    }

    /** A scope as a query parameter's value. */
    public static String query(String scope) {
        return scope == null ? null : URLEncoder.encode(scope, StandardCharsets.UTF_8);
    }

    private static String usd(String amount) {
        return amount == null ? "" : "$" + amount;
    }

    private static String text(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : node.asText();
    }
}
