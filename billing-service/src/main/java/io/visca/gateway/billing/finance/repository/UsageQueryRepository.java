package io.visca.gateway.billing.finance.repository;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.billing.finance.query.Bucket;
import io.visca.gateway.billing.finance.query.Cursor;
import io.visca.gateway.billing.finance.query.GroupBy;
import io.visca.gateway.billing.finance.query.UsageFilter;
import io.visca.gateway.billing.ledger.UsageRecordEntity;

/**
 * The finance queries. Summaries, reconciliation and time series read only the rollups kept at ingest
 * ({@link RollupSource}: whole hours from the hourly rollup, whole minutes from the minute rollup, the partial minutes
 * at the ends of a range from the raw records), so their cost grows with the hours and groups asked for, not with
 * the ledger; percentiles come from the rollups' merged latency histograms. Records read the raw ledger (partitioned
 * by month) by its (occurred_at, event_id) key, newest first, from a keyset cursor (by its (request_id, occurred_at,
 * event_id) index when they look up a client's correlation id). Times and filters are bound as text and cast by
 * PostgreSQL. Each method runs in the caller's session.
 */
@ApplicationScoped
public class UsageQueryRepository {

    private static final String TOTALS = """
            cast(coalesce(sum(requests), 0) as bigint) as t0, cast(coalesce(sum(errors), 0) as bigint) as t1,
            cast(coalesce(sum(prompt_tokens), 0) as bigint) as t2,
            cast(coalesce(sum(completion_tokens), 0) as bigint) as t3,
            cast(coalesce(sum(cached_tokens), 0) as bigint) as t4, sum(input_cost) as t5, sum(output_cost) as t6,
            sum(total_cost) as t7, sum(reported_cost) as t8,
            cast(coalesce(sum(unpriced_requests), 0) as bigint) as t9,
            cast(coalesce(sum(unpriced_tokens), 0) as bigint) as t10""";
    private static final String TOTAL_NAMES = "t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10";

    private static final String RECORD_COLUMNS = "event_id, request_id, occurred_at, api_key_id, requested_model, "
            + "served_model, provider, endpoint, strategy, operation, upstream_model, status, http_status, error_type, "
            + "error_code, stream, attempts, prompt_tokens, completion_tokens, cached_tokens, tokens_estimated, "
            + "input_cost, output_cost, total_cost, reported_cost, latency_ms, time_to_first_token_ms, "
            + "cast(attempt_log as text) as attempt_log, schema_version, team, "
            + "cast(array_to_json(budget_leases) as text) as budget_leases";

    /**
     * The raw records of a partial minute as rows of {@code usage_hourly} (one per record), as the ledger writer rolls
     * them up.
     */
    private static final String RAW_AS_HOURLY = """
            select date_trunc('hour', occurred_at, 'UTC') as hour, coalesce(provider, '') as provider,
                   coalesce(served_model, '') as served_model, coalesce(api_key_id, '') as api_key_id,
                   coalesce(team, '') as team, cast(1 as bigint) as requests, cast(case when status = 'error' then 1 else 0 end as bigint) as errors,
                   prompt_tokens, completion_tokens, cached_tokens, coalesce(input_cost, 0) as input_cost,
                   coalesce(output_cost, 0) as output_cost, coalesce(total_cost, 0) as total_cost,
                   coalesce(reported_cost, 0) as reported_cost,
                   cast(case when total_cost is null then 0 else 1 end as bigint) as priced_requests,
                   cast(case when reported_cost is null then 0 else 1 end as bigint) as reported_requests,
                   case when reported_cost is null then 0 else coalesce(total_cost, 0) end as reported_configured_cost,
                   cast(case when total_cost is null and served_model is not null then 1 else 0 end as bigint)
                       as unpriced_requests,
                   case when total_cost is null and served_model is not null then prompt_tokens + completion_tokens
                       else 0 end as unpriced_tokens
            from usage_record""";

    private static final String HOURLY_COLUMNS = "hour, provider, served_model, api_key_id, team, requests, errors, "
            + "prompt_tokens, completion_tokens, cached_tokens, input_cost, output_cost, total_cost, reported_cost, "
            + "priced_requests, reported_requests, reported_configured_cost, unpriced_requests, unpriced_tokens";

    /**
     * Per bucket of the series: its start (epoch seconds, Long), requests, errors (Long), the merged histograms of
     * the latency and of the time to first token of streamed requests (PostgreSQL's int[] text, or null), prompt and
     * completion tokens (Long), total cost (BigDecimal). Every bucket from {@code first} to {@code last} is there,
     * empty ones with zeros. Minute buckets read the minute rollups, wider ones the hourly rollups.
     */
    public Uni<List<Object[]>> timeseries(UsageFilter filter, Bucket bucket, Instant first, Instant last) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("step", bucket.interval());
        parameters.put("first", first.toString());
        parameters.put("last", last.toString());
        String source = RollupSource.series(filter, bucket != Bucket.MINUTE, parameters);
        String sql = """
                with series as (
                    select generate_series(cast(cast(:first as text) as timestamptz),
                            cast(cast(:last as text) as timestamptz), cast(cast(:step as text) as interval)) as start
                ), stats as (
                    select date_bin(cast(cast(:step as text) as interval), t, timestamptz 'epoch') as start,
                           sum(requests) as requests, sum(errors) as errors, sum(prompt_tokens) as prompt_tokens,
                           sum(completion_tokens) as completion_tokens, sum(total_cost) as total_cost,
                           cast(histogram_sum(latency_hist) as text) as latency_hist,
                           cast(histogram_sum(ttft_hist) as text) as ttft_hist
                    from %s as rollup
                    group by 1
                )
                select cast(extract(epoch from s.start) as bigint), cast(coalesce(t.requests, 0) as bigint),
                       cast(coalesce(t.errors, 0) as bigint), t.latency_hist, t.ttft_hist,
                       cast(coalesce(t.prompt_tokens, 0) as bigint), cast(coalesce(t.completion_tokens, 0) as bigint),
                       coalesce(t.total_cost, 0)
                from series s left join stats t on t.start = s.start
                order by s.start
                """.formatted(source);
        return list(sql, parameters);
    }

    /**
     * One row per group: the dimensions (text or null) in {@code groups} order, then requests, errors, prompt,
     * completion and cached tokens (Long), input, output, total and reported cost (BigDecimal or null), unpriced
     * requests and unpriced tokens (Long). Bounds on
     * the minute read only the rollups; a bound between two minutes takes its partial minute from the raw records.
     */
    public Uni<List<Object[]>> summary(UsageFilter filter, List<GroupBy> groups) {
        StringBuilder inner = new StringBuilder("select ");
        StringBuilder sql = new StringBuilder("select ");
        for (int i = 0; i < groups.size(); i++) {
            inner.append(groups.get(i).key()).append(" as g").append(i).append(", ");
            sql.append(groups.get(i).format("g" + i)).append(", ");
        }
        inner.append(TOTALS).append(" from ");
        sql.append(TOTAL_NAMES);
        boolean narrow = narrow(filter) && groups.stream().noneMatch(GroupBy::keyOrTeam);
        Map<String, Object> parameters = new LinkedHashMap<>();
        inner.append(RollupSource.hourly(filter, narrow, HOURLY_COLUMNS, RAW_AS_HOURLY, parameters));
        StringBuilder positions = new StringBuilder();
        for (int i = 1; i <= groups.size(); i++) {
            positions.append(i == 1 ? "" : ", ").append(i);
        }
        if (!groups.isEmpty()) {
            inner.append(" group by ").append(positions);
        }
        sql.append(" from (").append(inner).append(") as totals");
        if (!groups.isEmpty()) {
            sql.append(" order by ").append(positions);
        }
        return list(sql.toString(), parameters);
    }

    /** Whether the filter leaves out the key and team, so the series rollups (provider and model) answer it. */
    private static boolean narrow(UsageFilter filter) {
        return filter.apiKey() == null && filter.team() == null;
    }

    /**
     * One row per provider and served model: provider, model (text or null), requests, priced, reported requests
     * (Long), configured total cost, reported cost, configured cost where reported (BigDecimal), unpriced requests and
     * tokens (Long).
     */
    public Uni<List<Object[]>> reconciliation(UsageFilter filter) {
        StringBuilder sql = new StringBuilder("""
                select nullif(provider, ''), nullif(served_model, ''), cast(sum(requests) as bigint),
                       cast(sum(priced_requests) as bigint), cast(sum(reported_requests) as bigint),
                       sum(total_cost), sum(reported_cost), sum(reported_configured_cost),
                       cast(sum(unpriced_requests) as bigint), cast(sum(unpriced_tokens) as bigint)
                from""").append(narrow(filter) ? " usage_series_hourly" : " usage_hourly");
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
        and = equal(sql, parameters, and, "request_id", filter.requestId());
        and = equal(sql, parameters, and, "team", filter.team());
        if (filter.stream() != null) {
            sql.append(and).append("stream = :stream");
            parameters.put("stream", filter.stream());
            and = " and ";
        }
        if (after != null) {
            sql.append(and).append("(occurred_at, event_id) < (cast(cast(:after_at as text) as timestamptz), :after_id)");
            parameters.put("after_at", after.occurredAt().toString());
            parameters.put("after_id", after.eventId());
        }
        sql.append(" order by occurred_at desc, event_id desc limit ").append(limit);
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
        equal(sql, parameters, " and ", "team", filter.team());
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
