package io.visca.gateway.registry.policy.mapping;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.contracts.provider.BudgetPeriod;
import io.visca.gateway.contracts.provider.KeyLimits;
import io.visca.gateway.registry.json.JsonFields;
import io.visca.gateway.registry.json.Violations;
import io.visca.gateway.registry.policy.repository.PolicyColumns;

/**
 * The fields keys and teams share (budget, period, rates, metadata), read from a POST or PATCH body with JSON merge
 * patch semantics (RFC 7386): an absent field keeps what is stored, {@code null} clears it; {@code metadata} is
 * merged key by key (a {@code null} value removes that key). On create, "stored" is nothing.
 *
 * <p>
 * A budget and its period go together: {@code max_budget_usd} without a period (none given, none stored) counts per
 * {@code month}, the commonest billing cycle; a period without a budget, or clearing the period of a budget that
 * stays, is a violation; clearing the budget clears its period.
 */
public final class PolicyFields {

    public static final Set<String> NAMES = Set.of("max_budget_usd", "budget_period", "requests_per_minute",
            "tokens_per_minute", "metadata");
    /** The period of a budget given without one. */
    public static final BudgetPeriod DEFAULT_PERIOD = BudgetPeriod.MONTH;
    public static final BigDecimal MAX_BUDGET_USD = new BigDecimal("1000000000");
    public static final int MAX_BUDGET_DECIMALS = 10;
    public static final int MAX_REQUESTS_PER_MINUTE = 10_000_000;
    public static final int MAX_TOKENS_PER_MINUTE = 1_000_000_000;
    public static final int MAX_METADATA_ENTRIES = 50;
    public static final int MAX_METADATA_KEY = 100;
    public static final int MAX_METADATA_VALUE = 1000;

    private static final String PERIODS = "day, week, month or total";

    private final JsonNode body;
    private final JsonFields fields;
    private final Violations violations;
    private final Patched<BigDecimal> budget;
    private final Patched<String> period;
    private final Patched<Integer> requests;
    private final Patched<Integer> tokens;

    /** Reads the fields now (their own violations go to {@code fields}); {@link #limits} combines them later. */
    public PolicyFields(JsonNode body, JsonFields fields) {
        this.body = body;
        this.fields = fields;
        this.violations = fields.violations();
        this.budget = patched("max_budget_usd", this::budget);
        this.period = patched("budget_period", this::period);
        this.requests = patched("requests_per_minute",
                () -> fields.integer("requests_per_minute", 1, MAX_REQUESTS_PER_MINUTE, "requests per minute"));
        this.tokens = patched("tokens_per_minute",
                () -> fields.integer("tokens_per_minute", 1, MAX_TOKENS_PER_MINUTE, "tokens per minute"));
    }

    /** A field of the body as a merge patch: absent, null, or its value read by {@code read} (null if invalid). */
    public <T> Patched<T> patched(String field, Supplier<T> read) {
        if (!body.has(field)) {
            return Patched.keep();
        }
        if (body.get(field).isNull()) {
            return Patched.to(null);
        }
        T value = read.get();
        return value == null ? Patched.keep() : Patched.to(value);
    }

    /** Writes the limits and metadata after this patch into {@code columns} (empty ones on create). */
    public void applyTo(PolicyColumns columns) {
        KeyLimits limits = limits(PolicyMapper.limits(columns));
        columns.maxBudgetUsd = limits.maxBudgetUsd();
        columns.budgetPeriod = limits.budgetPeriod();
        columns.requestsPerMinute = limits.requestsPerMinute();
        columns.tokensPerMinute = limits.tokensPerMinute();
        columns.metadata = JsonColumns.ofMap(metadata(PolicyMapper.metadata(columns)));
    }

    /** The limits after this patch over {@code current} ({@link KeyLimits#NONE} on create). */
    KeyLimits limits(KeyLimits current) {
        BigDecimal max = budget.applyTo(current.maxBudgetUsd());
        String per = period.applyTo(current.budgetPeriod());
        boolean budgetInvalid = body.has("max_budget_usd") && !budget.present();
        if (max == null) {
            if (period.present() && period.value() != null && !budgetInvalid) {
                violations.add(fields.path("budget_period"), "needs max_budget_usd: a period without a budget "
                        + "limits nothing");
            }
            per = null;
        } else if (per == null) {
            if (period.clears()) {
                violations.add(fields.path("budget_period"), "is required while max_budget_usd is set (" + PERIODS
                        + "); set max_budget_usd to null to remove the budget");
            }
            per = DEFAULT_PERIOD.wireName();
        }
        return new KeyLimits(max, per, requests.applyTo(current.requestsPerMinute()),
                tokens.applyTo(current.tokensPerMinute()));
    }

    /** The metadata after merging this patch's into {@code current} (empty when none). */
    Map<String, String> metadata(Map<String, String> current) {
        if (!body.has("metadata")) {
            return current;
        }
        JsonNode patch = body.get("metadata");
        if (patch.isNull()) {
            return Map.of();
        }
        String path = fields.path("metadata");
        if (!patch.isObject()) {
            violations.add(path, "must be a JSON object of string values");
            return current;
        }
        Map<String, String> merged = new LinkedHashMap<>(current);
        Iterator<Map.Entry<String, JsonNode>> entries = patch.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (key.isBlank() || key.length() > MAX_METADATA_KEY) {
                violations.add(path, "keys must be 1 to " + MAX_METADATA_KEY + " characters, not blank");
            } else if (value.isNull()) {
                merged.remove(key);
            } else if (!value.isTextual()) {
                violations.add(path + "." + key, "must be a string (null removes it)");
            } else if (value.textValue().length() > MAX_METADATA_VALUE) {
                violations.add(path + "." + key, "must be at most " + MAX_METADATA_VALUE + " characters");
            } else {
                merged.put(key, value.textValue());
            }
        }
        if (merged.size() > MAX_METADATA_ENTRIES) {
            violations.add(path, "must hold at most " + MAX_METADATA_ENTRIES + " entries");
        }
        return merged;
    }

    private BigDecimal budget() {
        String path = fields.path("max_budget_usd");
        BigDecimal amount = fields.decimal("max_budget_usd", "must be an amount in USD (a number or a numeric string)");
        if (amount == null) {
            return null;
        }
        if (amount.signum() <= 0) {
            violations.add(path, "must be more than 0 USD (set it to null to remove the budget)");
            return null;
        }
        if (amount.compareTo(MAX_BUDGET_USD) > 0) {
            violations.add(path, "must be at most " + MAX_BUDGET_USD.toPlainString() + " USD");
            return null;
        }
        BigDecimal exact = amount.stripTrailingZeros();
        if (exact.scale() > MAX_BUDGET_DECIMALS) {
            violations.add(path, "must have at most " + MAX_BUDGET_DECIMALS + " digits after the decimal point");
            return null;
        }
        return normalized(exact);
    }

    private String period() {
        String value = fields.string("budget_period");
        if (value == null) {
            return null;
        }
        BudgetPeriod period = BudgetPeriod.of(value);
        if (period == null) {
            violations.add(fields.path("budget_period"), "must be one of " + PERIODS);
            return null;
        }
        return period.wireName();
    }

    /** A stored amount without trailing zeros ({@code numeric(20,10)} reads back as {@code 5.0000000000}). */
    public static BigDecimal normalized(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
