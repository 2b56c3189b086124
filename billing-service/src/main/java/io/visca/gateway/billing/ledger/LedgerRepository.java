package io.visca.gateway.billing.ledger;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/**
 * Writes batches into the ledger. One statement per batch, run inside the caller's transaction: the raw rows go in
 * with {@code ON CONFLICT (event_id) DO NOTHING} (the router's id, unique per request; the client's request id is
 * a plain column that many rows may share), and only the rows that statement really inserted ({@code RETURNING})
 * are added to the hourly rollup ({@code ON CONFLICT ... DO UPDATE} adding to the totals). A redelivered event is
 * therefore neither stored nor counted twice. Both inserts take their rows in key order, so two writers lock rows in
 * the same order. The same inserted rows give the amounts to settle on the budget leases they name
 * ({@link LeaseSettlement}, in the same transaction): a redelivered event settles nothing a second time.
 */
@ApplicationScoped
public class LedgerRepository implements PanacheRepositoryBase<UsageRecordEntity, String> {

    /**
     * What a write did. {@code newestMicros}: the newest occurred_at stored, in µs since the epoch, or null;
     * {@code settlements}: per budget lease named by the rows really inserted, the sum of their total cost, as a
     * JSON array of {@code [lease, "amount"]} pairs (null when none named a lease), for {@link LeaseSettlement}.
     */
    public record Stored(long inserted, Long newestMicros, String settlements) {
    }

    private static final String COLUMNS = "event_id, request_id, occurred_at, api_key_id, requested_model, "
            + "served_model, provider, endpoint, strategy, operation, upstream_model, status, http_status, "
            + "error_type, error_code, stream, attempts, prompt_tokens, completion_tokens, cached_tokens, "
            + "tokens_estimated, input_cost, output_cost, total_cost, reported_cost, latency_ms, "
            + "time_to_first_token_ms, attempt_log, schema_version, team, budget_leases";

    private static final String STORE = """
            with input as (
                select * from unnest(
                    cast(:event_id as text[]), cast(:request_id as text[]), cast(:occurred_at as bigint[]),
                    cast(:api_key_id as text[]), cast(:requested_model as text[]), cast(:served_model as text[]),
                    cast(:provider as text[]), cast(:endpoint as text[]), cast(:strategy as text[]),
                    cast(:operation as text[]), cast(:upstream_model as text[]), cast(:status as text[]),
                    cast(:http_status as int[]), cast(:error_type as text[]), cast(:error_code as text[]),
                    cast(:stream as boolean[]), cast(:attempts as int[]), cast(:prompt_tokens as bigint[]),
                    cast(:completion_tokens as bigint[]), cast(:cached_tokens as bigint[]),
                    cast(:tokens_estimated as boolean[]), cast(cast(:input_cost as text[]) as numeric[]),
                    cast(cast(:output_cost as text[]) as numeric[]), cast(cast(:total_cost as text[]) as numeric[]),
                    cast(cast(:reported_cost as text[]) as numeric[]), cast(:latency_ms as bigint[]),
                    cast(:time_to_first_token_ms as bigint[]), cast(cast(:attempt_log as text[]) as json[]),
                    cast(:schema_version as int[]), cast(:team as text[]), cast(:budget_leases as text[]))
                as t(%1$s)
            ), inserted as (
                insert into usage_record (%1$s)
                select %2$s from input order by event_id
                on conflict (event_id) do nothing
                returning occurred_at, provider, served_model, api_key_id, team, status, prompt_tokens,
                          completion_tokens, cached_tokens, input_cost, output_cost, total_cost, reported_cost,
                          budget_leases
            ), rolled as (
                insert into usage_hourly as h (hour, provider, served_model, api_key_id, team, requests, errors,
                    prompt_tokens, completion_tokens, cached_tokens, input_cost, output_cost, total_cost,
                    reported_cost, priced_requests, reported_requests, reported_configured_cost,
                    unpriced_requests, unpriced_tokens)
                select date_trunc('hour', occurred_at, 'UTC'), coalesce(provider, ''), coalesce(served_model, ''),
                       coalesce(api_key_id, ''), coalesce(team, ''), count(*),
                       count(*) filter (where status = 'error'),
                       sum(prompt_tokens), sum(completion_tokens), sum(cached_tokens),
                       coalesce(sum(input_cost), 0), coalesce(sum(output_cost), 0), coalesce(sum(total_cost), 0),
                       coalesce(sum(reported_cost), 0), count(total_cost), count(reported_cost),
                       coalesce(sum(total_cost) filter (where reported_cost is not null), 0),
                       count(*) filter (where total_cost is null and served_model is not null),
                       coalesce(sum(prompt_tokens + completion_tokens)
                           filter (where total_cost is null and served_model is not null), 0)
                from inserted
                group by 1, 2, 3, 4, 5
                order by 1, 2, 3, 4, 5
                on conflict (hour, provider, served_model, api_key_id, team) do update set
                    requests = h.requests + excluded.requests,
                    errors = h.errors + excluded.errors,
                    prompt_tokens = h.prompt_tokens + excluded.prompt_tokens,
                    completion_tokens = h.completion_tokens + excluded.completion_tokens,
                    cached_tokens = h.cached_tokens + excluded.cached_tokens,
                    input_cost = h.input_cost + excluded.input_cost,
                    output_cost = h.output_cost + excluded.output_cost,
                    total_cost = h.total_cost + excluded.total_cost,
                    reported_cost = h.reported_cost + excluded.reported_cost,
                    priced_requests = h.priced_requests + excluded.priced_requests,
                    reported_requests = h.reported_requests + excluded.reported_requests,
                    reported_configured_cost = h.reported_configured_cost + excluded.reported_configured_cost,
                    unpriced_requests = h.unpriced_requests + excluded.unpriced_requests,
                    unpriced_tokens = h.unpriced_tokens + excluded.unpriced_tokens
                returning 1
            ), settle as (
                select lease, sum(coalesce(total_cost, 0)) as amount
                from inserted cross join lateral (select distinct unnest(budget_leases) as lease) as leases
                group by lease
            )
            select (select count(*) from inserted),
                   (select cast(floor(extract(epoch from max(occurred_at)) * 1000000) as bigint) from inserted),
                   (select count(*) from rolled),
                   (select cast(json_agg(json_build_array(lease, cast(amount as text)) order by lease) as text)
                    from settle)
            """.formatted(COLUMNS, COLUMNS.replace("occurred_at,",
            "timestamptz 'epoch' + occurred_at * interval '1 microsecond',").replace("budget_leases",
                    "case when budget_leases is null then cast('{}' as text[])"
                            + " else array(select json_array_elements_text(cast(budget_leases as json))) end"));

    /** Stores the batch; must run inside a transaction ({@code Panache.withTransaction}). */
    Uni<Stored> store(LedgerBatch b) {
        return getSession().chain(session -> session.createNativeQuery(STORE, Object[].class)
                .setParameter("event_id", b.eventId())
                .setParameter("request_id", b.requestId())
                .setParameter("occurred_at", b.occurredAt())
                .setParameter("api_key_id", b.apiKeyId())
                .setParameter("requested_model", b.requestedModel())
                .setParameter("served_model", b.servedModel())
                .setParameter("provider", b.provider())
                .setParameter("endpoint", b.endpoint())
                .setParameter("strategy", b.strategy())
                .setParameter("operation", b.operation())
                .setParameter("upstream_model", b.upstreamModel())
                .setParameter("status", b.status())
                .setParameter("http_status", b.httpStatus())
                .setParameter("error_type", b.errorType())
                .setParameter("error_code", b.errorCode())
                .setParameter("stream", b.stream())
                .setParameter("attempts", b.attempts())
                .setParameter("prompt_tokens", b.promptTokens())
                .setParameter("completion_tokens", b.completionTokens())
                .setParameter("cached_tokens", b.cachedTokens())
                .setParameter("tokens_estimated", b.tokensEstimated())
                .setParameter("input_cost", b.inputCost())
                .setParameter("output_cost", b.outputCost())
                .setParameter("total_cost", b.totalCost())
                .setParameter("reported_cost", b.reportedCost())
                .setParameter("latency_ms", b.latencyMs())
                .setParameter("time_to_first_token_ms", b.timeToFirstTokenMs())
                .setParameter("attempt_log", b.attemptLogs())
                .setParameter("schema_version", b.schemaVersion())
                .setParameter("team", b.team())
                .setParameter("budget_leases", b.budgetLeases())
                .getSingleResult())
                .map(row -> new Stored(((Number) row[0]).longValue(),
                        row[1] == null ? null : ((Number) row[1]).longValue(), (String) row[3]));
    }
}
