package io.visca.gateway.billing.finance.repository;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.billing.finance.service.Cursor;
import io.visca.gateway.billing.finance.service.GroupBy;
import io.visca.gateway.billing.finance.service.UsageFilter;
import io.visca.gateway.billing.ledger.UsageRecordEntity;

/**
 * The finance queries. Summaries and reconciliation read only the hourly rollup ({@code usage_hourly}), whose
 * primary key starts with the hour, so their cost grows with the hours and groups asked for, not with the ledger.
 * Records read the raw ledger by its (occurred_at, request_id) index, newest first, from a keyset cursor. Times and
 * filters are bound as text and cast by PostgreSQL. Each method runs in the caller's session.
 */
@ApplicationScoped
public class UsageQueryRepository {

    private static final String TOTALS = """
            cast(coalesce(sum(requests), 0) as bigint), cast(coalesce(sum(errors), 0) as bigint),
            cast(coalesce(sum(prompt_tokens), 0) as bigint), cast(coalesce(sum(completion_tokens), 0) as bigint),
            cast(coalesce(sum(cached_tokens), 0) as bigint), sum(input_cost), sum(output_cost), sum(total_cost),
            sum(reported_cost)""";

    private static final String RECORD_COLUMNS = "request_id, occurred_at, api_key_id, requested_model, "
            + "served_model, provider, endpoint, strategy, operation, upstream_model, status, http_status, error_type, "
            + "error_code, stream, attempts, prompt_tokens, completion_tokens, cached_tokens, tokens_estimated, "
            + "input_cost, output_cost, total_cost, reported_cost, latency_ms, time_to_first_token_ms, "
            + "cast(attempt_log as text) as attempt_log, schema_version";

    /**
     * One row per group: the dimensions (text or null) in {@code groups} order, then requests, errors, prompt,
     * completion and cached tokens (Long) and input, output, total and reported cost (BigDecimal or null).
     */
    public Uni<List<Object[]>> summary(UsageFilter filter, List<GroupBy> groups) {
        StringBuilder sql = new StringBuilder("select ");
        for (GroupBy group : groups) {
            sql.append(group.sql()).append(", ");
        }
        sql.append(TOTALS).append(" from usage_hourly");
        Map<String, Object> parameters = rollupWhere(sql, filter);
        if (!groups.isEmpty()) {
            StringBuilder positions = new StringBuilder();
            for (int i = 1; i <= groups.size(); i++) {
                positions.append(i == 1 ? "" : ", ").append(i);
            }
            sql.append(" group by ").append(positions).append(" order by ").append(positions);
        }
        return list(sql.toString(), parameters);
    }

    /**
     * One row per provider and served model: provider, model (text or null), requests, priced, reported requests
     * (Long), configured total cost, reported cost, configured cost where reported (BigDecimal).
     */
    public Uni<List<Object[]>> reconciliation(UsageFilter filter) {
        StringBuilder sql = new StringBuilder("""
                select nullif(provider, ''), nullif(served_model, ''), cast(sum(requests) as bigint),
                       cast(sum(priced_requests) as bigint), cast(sum(reported_requests) as bigint),
                       sum(total_cost), sum(reported_cost), sum(reported_configured_cost)
                from usage_hourly""");
        Map<String, Object> parameters = rollupWhere(sql, filter);
        sql.append(" group by 1, 2 order by 1, 2");
        return list(sql.toString(), parameters);
    }

    /** Up to {@code limit} raw records matching the filter, newest first, strictly after {@code after}. */
    public Uni<List<UsageRecordEntity>> records(UsageFilter filter, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("select ").append(RECORD_COLUMNS).append(" from usage_record");
        Map<String, Object> parameters = new LinkedHashMap<>();
        String and = " where ";
        if (filter.from() != null) {
            sql.append(and).append("occurred_at >= cast(cast(:from as text) as timestamptz)");
            parameters.put("from", filter.from().toString());
            and = " and ";
        }
        if (filter.to() != null) {
            sql.append(and).append("occurred_at < cast(cast(:to as text) as timestamptz)");
            parameters.put("to", filter.to().toString());
            and = " and ";
        }
        and = equal(sql, parameters, and, "provider", filter.provider());
        and = equal(sql, parameters, and, "served_model", filter.model());
        and = equal(sql, parameters, and, "api_key_id", filter.apiKey());
        and = equal(sql, parameters, and, "status", filter.status());
        if (filter.stream() != null) {
            sql.append(and).append("stream = :stream");
            parameters.put("stream", filter.stream());
            and = " and ";
        }
        if (after != null) {
            sql.append(and).append("(occurred_at, request_id) < (cast(cast(:after_at as text) as timestamptz), :after_id)");
            parameters.put("after_at", after.occurredAt().toString());
            parameters.put("after_id", after.requestId());
        }
        sql.append(" order by occurred_at desc, request_id desc limit ").append(limit);
        return session().chain(session -> {
            Mutiny.SelectionQuery<UsageRecordEntity> query = session.createNativeQuery(sql.toString(),
                    UsageRecordEntity.class);
            parameters.forEach(query::setParameter);
            return query.getResultList();
        });
    }

    private static Map<String, Object> rollupWhere(StringBuilder sql, UsageFilter filter) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        sql.append(" where hour >= cast(cast(:from as text) as timestamptz) and hour < cast(cast(:to as text) as timestamptz)");
        parameters.put("from", filter.from().toString());
        parameters.put("to", filter.to().toString());
        equal(sql, parameters, " and ", "provider", filter.provider());
        equal(sql, parameters, " and ", "served_model", filter.model());
        equal(sql, parameters, " and ", "api_key_id", filter.apiKey());
        return parameters;
    }

    private static String equal(StringBuilder sql, Map<String, Object> parameters, String and, String column,
            String value) {
        if (value == null) {
            return and;
        }
        sql.append(and).append(column).append(" = :").append(column);
        parameters.put(column, value);
        return " and ";
    }

    private Uni<List<Object[]>> list(String sql, Map<String, Object> parameters) {
        return session().chain(session -> {
            Mutiny.SelectionQuery<Object[]> query = session.createNativeQuery(sql, Object[].class);
            parameters.forEach(query::setParameter);
            return query.getResultList();
        });
    }

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }
}
