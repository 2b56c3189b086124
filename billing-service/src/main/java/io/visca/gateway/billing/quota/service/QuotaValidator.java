package io.visca.gateway.billing.quota.service;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.visca.gateway.billing.ledger.LeaseSettlement;
import io.visca.gateway.contracts.quota.QuotaExchange;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.kit.admin.error.Violation;

/**
 * Checks an exchange before anything is locked, collecting every mistake into one 400 ({@code invalid_parameter},
 * each violation naming its field, e.g. {@code asks[2].need}). The store keeps no policy, so this is only about shape:
 * kinds, scopes, amounts, sizes.
 */
final class QuotaValidator {

    /** {@code key:<id>}, {@code team:<name>} or {@code provider:<name>}, the name 1 to 200 characters. */
    static final Pattern SCOPE = Pattern.compile("(key|team|provider):[^\\p{Cntrl}]{1,200}");
    /** Budget scopes: a provider has rates only. */
    static final Pattern BUDGET_SCOPE = Pattern.compile("(key|team):[^\\p{Cntrl}]{1,200}");
    static final int MAX_ID = 200;
    /** Amounts (USD, requests, tokens) up to 10^15 with at most 18 decimal places. */
    static final BigDecimal MAX_AMOUNT = BigDecimal.TEN.pow(15);
    static final int MAX_SCALE = 18;

    private final List<Violation> violations = new ArrayList<>();

    static void check(QuotaExchange exchange, int maxAsks, int maxLeases) {
        QuotaValidator v = new QuotaValidator();
        if (exchange == null) {
            throw ApiException.invalid("invalid_parameter", "", "the body must be a quota exchange (JSON object)");
        }
        v.id("router_id", exchange.routerId());
        if (exchange.releases().size() + exchange.held().size() > maxLeases) {
            v.add("releases", "releases and held name at most " + maxLeases + " leases together");
        } else {
            for (int i = 0; i < exchange.releases().size(); i++) {
                QuotaExchange.Release r = exchange.releases().get(i);
                String at = "releases[" + i + "]";
                if (r == null) {
                    v.add(at, "must be an object");
                    continue;
                }
                v.id(at + ".lease_id", r.leaseId());
                v.amount(at + ".used", r.used());
            }
            for (int i = 0; i < exchange.held().size(); i++) {
                v.id("held[" + i + "]", exchange.held().get(i));
            }
        }
        if (exchange.asks().size() > maxAsks) {
            v.add("asks", "at most " + maxAsks + " asks per exchange");
        } else {
            for (int i = 0; i < exchange.asks().size(); i++) {
                v.ask("asks[" + i + "]", exchange.asks().get(i));
            }
        }
        v.done();
    }

    /** The scopes of a budget status query: 1 to {@code max}, each a key or team scope. */
    static void checkScopes(List<String> scopes, int max) {
        QuotaValidator v = new QuotaValidator();
        if (scopes == null || scopes.isEmpty() || scopes.size() > max) {
            v.add("scope", "give 1 to " + max + " scopes (scope=key:<id>&scope=team:<name>)");
        } else {
            for (String scope : scopes) {
                if (scope == null || !BUDGET_SCOPE.matcher(scope).matches()) {
                    v.add("scope", "'" + shorten(scope) + "' is not key:<id> or team:<name> (1 to 200 characters)");
                }
            }
        }
        v.done();
    }

    private void ask(String at, QuotaExchange.Ask ask) {
        if (ask == null) {
            add(at, "must be an object");
            return;
        }
        id(at + ".ref", ask.ref());
        String kind = ask.kind();
        boolean budget = QuotaExchange.BUDGET.equals(kind);
        if (!budget && !QuotaExchange.REQUESTS.equals(kind) && !QuotaExchange.TOKENS.equals(kind)) {
            add(at + ".kind", "'" + shorten(kind) + "' is not one of budget, requests, tokens");
        }
        if (ask.scope() == null || !(budget ? BUDGET_SCOPE : SCOPE).matcher(ask.scope()).matches()) {
            add(at + ".scope", budget ? "a budget's scope is key:<id> or team:<name> (1 to 200 characters)"
                    : "must be key:<id>, team:<name> or provider:<name> (1 to 200 characters)");
        }
        if (ask.leaseId() != null && !(budget && LeaseSettlement.isLeaseId(ask.leaseId()))) {
            add(at + ".lease_id", budget ? "must be a UUID" : "only a budget ask names its lease");
        }
        if (ask.windowStart() == null) {
            add(at + ".window_start", "is required (the period's or the minute's start, an ISO-8601 instant)");
        } else if (ask.windowStart().getNano() % 1000 != 0) {
            add(at + ".window_start", "must be whole microseconds (PostgreSQL's precision)");
        }
        boolean amounts = amount(at + ".limit", ask.limit()) & amount(at + ".need", ask.need())
                & amount(at + ".want", ask.want());
        if (amounts && ask.need().compareTo(ask.want()) > 0) {
            add(at + ".need", "must not exceed want");
        }
    }

    private void id(String field, String value) {
        if (value == null || value.isBlank() || value.length() > MAX_ID) {
            add(field, "must be 1 to " + MAX_ID + " characters");
        }
    }

    private boolean amount(String field, BigDecimal value) {
        if (value == null) {
            add(field, "is required");
            return false;
        }
        if (value.signum() < 0 || value.compareTo(MAX_AMOUNT) > 0 || value.stripTrailingZeros().scale() > MAX_SCALE) {
            add(field, "must be from 0 to 10^15 with at most " + MAX_SCALE + " decimal places");
            return false;
        }
        return true;
    }

    private void add(String field, String message) {
        violations.add(new Violation(field, message));
    }

    private void done() {
        if (!violations.isEmpty()) {
            throw ApiException.invalid("invalid_parameter", violations);
        }
    }

    private static String shorten(String value) {
        return value == null ? "null" : value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }
}
