package io.visca.gateway.registry.team.repository;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

/** A team: limits counted across all its keys (a request must fit its key's and its team's), and metadata. */
@Entity
@Table(name = "team")
public class TeamEntity {

    @Id
    public String name;

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
    public String metadata;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
