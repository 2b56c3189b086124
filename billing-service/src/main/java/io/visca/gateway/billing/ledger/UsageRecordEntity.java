package io.visca.gateway.billing.ledger;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

/**
 * One stored usage-recorded event (table {@code usage_record}), keyed by its event id (the router's, unique per
 * request); the request id is the client's correlation id, which many rows may share. Written only by
 * {@link LedgerRepository#store} (one multi-row insert per batch), read by the finance queries; never updated.
 * {@code attempt_log} is {@code json} in the table (kept as written) and read as its text.
 */
@Entity
@Immutable
@Table(name = "usage_record")
public class UsageRecordEntity {

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Column(name = "api_key_id")
    public String apiKeyId;

    @Column(name = "requested_model")
    public String requestedModel;

    @Column(name = "served_model")
    public String servedModel;

    public String provider;

    public String endpoint;

    public String strategy;

    public String operation;

    @Column(name = "upstream_model")
    public String upstreamModel;

    public String status;

    @Column(name = "http_status")
    public int httpStatus;

    @Column(name = "error_type")
    public String errorType;

    @Column(name = "error_code")
    public String errorCode;

    public boolean stream;

    public int attempts;

    @Column(name = "prompt_tokens")
    public long promptTokens;

    @Column(name = "completion_tokens")
    public long completionTokens;

    @Column(name = "cached_tokens")
    public long cachedTokens;

    @Column(name = "tokens_estimated")
    public boolean tokensEstimated;

    @Column(name = "input_cost")
    public BigDecimal inputCost;

    @Column(name = "output_cost")
    public BigDecimal outputCost;

    @Column(name = "total_cost")
    public BigDecimal totalCost;

    @Column(name = "reported_cost")
    public BigDecimal reportedCost;

    @Column(name = "latency_ms")
    public long latencyMs;

    @Column(name = "time_to_first_token_ms")
    public Long timeToFirstTokenMs;

    /** The attempts as a JSON array (the event's {@code attempt_log}). */
    @Column(name = "attempt_log")
    public String attemptLog;

    @Column(name = "schema_version")
    public int schemaVersion;

    /** The key's team when the request was admitted, or null. */
    public String team;

    /** The quota store's budget leases the request was admitted under, as a JSON array (read-only view). */
    @Column(name = "budget_leases")
    public String budgetLeases;
}
