package io.visca.gateway.billing.ledger;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/**
 * Writes batches into the ledger. One statement per batch, run inside the caller's transaction: the raw rows go in
 * with {@code ON CONFLICT (occurred_at, event_id) DO NOTHING} (the router's id, unique per request, with the time it
 * carries: the partitioned table's key must hold its partition key; the client's request id is a plain column that
 * many rows may share), and the statement answers which of the batch's events it really inserted ({@code RETURNING}),
 * which {@link RollupRepository} then adds to the rollups in the same transaction. A redelivered event is therefore
 * neither stored nor counted twice. Rows go in key order, so two writers lock rows in the same order. The same
 * inserted rows give the amounts to settle on the budget leases they name ({@link LeaseSettlement}, in the same
 * transaction): a redelivered event settles nothing a second time.
 */
@ApplicationScoped
public class LedgerRepository implements PanacheRepositoryBase<UsageRecordEntity, String> {

    /**
     * What a write did. {@code newestMicros}: the newest occurred_at stored, in µs since the epoch, or null;
     * {@code positions}: the batch positions (0-based) of the events really inserted, each once;
     * {@code settlements}: per budget lease named by the rows really inserted, the sum of their total cost, as a
     * JSON array of {@code [lease, "amount"]} pairs (null when none named a lease), for {@link LeaseSettlement}.
     */
    public record Stored(long inserted, Long newestMicros, int[] positions, String settlements) {
    }

    /** PostgreSQL's text of an int[] ({@code {1,4,5}}) as 0-based positions; none for null. */
    private static int[] positions(String text) {
        if (text == null || text.length() <= 2) {
            return new int[0];
        }
        String[] parts = text.substring(1, text.length() - 1).split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i]) - 1;
        }
        return out;
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
                with ordinality as t(%1$s, n)
            ), inserted as (
                insert into usage_record (%1$s)
                select %2$s from input order by occurred_at, event_id
                on conflict (occurred_at, event_id) do nothing
                returning event_id, occurred_at, total_cost, budget_leases
            ), stored as (
                select min(i.n) as n from input i join inserted s on s.event_id = i.event_id
                    and s.occurred_at = timestamptz 'epoch' + i.occurred_at * interval '1 microsecond'
                group by i.event_id, i.occurred_at
            ), settle as (
                select lease, sum(coalesce(total_cost, 0)) as amount
                from inserted cross join lateral (select distinct unnest(budget_leases) as lease) as leases
                group by lease
            )
            select (select count(*) from inserted),
                   (select cast(floor(extract(epoch from max(occurred_at)) * 1000000) as bigint) from inserted),
                   (select cast(array_agg(n order by n) as text) from stored),
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
                        row[1] == null ? null : ((Number) row[1]).longValue(), positions((String) row[2]),
                        (String) row[3]));
    }
}
