package io.visca.gateway.registry.policy.repository;

import java.math.BigDecimal;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import org.hibernate.annotations.ColumnTransformer;

/**
 * The columns keys and teams share: budget and its period, rates, metadata. Hibernate loads an embedded value whose
 * columns are all null as null: read it through {@link #orEmpty} (or {@code PolicyMapper}, which does).
 */
@Embeddable
public class PolicyColumns {

    @Column(name = "max_budget_usd", precision = 20, scale = 10)
    public BigDecimal maxBudgetUsd;

    /** {@code day}, {@code week}, {@code month} or {@code total}; set exactly when {@link #maxBudgetUsd} is. */
    @Column(name = "budget_period")
    public String budgetPeriod;

    @Column(name = "requests_per_minute")
    public Integer requestsPerMinute;

    @Column(name = "tokens_per_minute")
    public Integer tokensPerMinute;

    /** A JSON object of string values ({@code jsonb}), or null. */
    @ColumnTransformer(read = "metadata::text", write = "?::text::jsonb")
    @Column(name = "metadata")
    public String metadata;

    /** {@code columns}, or empty ones when Hibernate loaded null (no policy at all). */
    public static PolicyColumns orEmpty(PolicyColumns columns) {
        return columns == null ? new PolicyColumns() : columns;
    }
}
