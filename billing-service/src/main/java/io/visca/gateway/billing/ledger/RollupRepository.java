package io.visca.gateway.billing.ledger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Adds a batch's {@link RollupDeltas} to the four rollups in one statement, inside the ledger write's transaction:
 * {@code usage_minute} and {@code usage_hourly} (provider, served model, API key and team) and
 * {@code usage_series_minute} and {@code usage_series_hourly} (provider and served model only), each with every
 * total and both histograms. Each is an
 * {@code INSERT ... SELECT FROM unnest(...) ON CONFLICT ... DO UPDATE} adding the deltas (histograms bucket by bucket,
 * {@code histogram_add}); decimals travel as text, so money stays exact.
 */
@ApplicationScoped
public class RollupRepository {

    /** A rollup table: its name, its time column, whether it has the key and team. */
    private record Table(String name, String time, boolean full, String prefix) {
    }

    private static final List<Table> TABLES = List.of(new Table("usage_minute", "minute", true, "m_"),
            new Table("usage_hourly", "hour", true, "h_"), new Table("usage_series_minute", "minute", false, "sm_"),
            new Table("usage_series_hourly", "hour", false, "sh_"));

    private static final String[] FULL = { "requests", "errors", "prompt_tokens", "completion_tokens",
            "cached_tokens", "input_cost", "output_cost", "total_cost", "reported_cost", "priced_requests",
            "reported_requests", "reported_configured_cost", "unpriced_requests", "unpriced_tokens" };
    private static final List<String> DECIMALS = List.of("input_cost", "output_cost", "total_cost", "reported_cost",
            "reported_configured_cost");

    private static final String UPSERT = upsert();

    private static String upsert() {
        StringBuilder sql = new StringBuilder("with ");
        for (Table t : TABLES) {
            String[] totals = FULL;
            StringBuilder columns = new StringBuilder(t.time()).append(", provider, served_model");
            StringBuilder values = new StringBuilder(
                    "timestamptz 'epoch' + u.at_micros * interval '1 microsecond', u.provider, u.served_model");
            StringBuilder arrays = new StringBuilder("cast(:%1$sat_micros as bigint[]), cast(:%1$sprovider as text[]), "
                    + "cast(:%1$sserved_model as text[])");
            StringBuilder names = new StringBuilder("at_micros, provider, served_model");
            StringBuilder key = new StringBuilder(t.time()).append(", provider, served_model");
            if (t.full()) {
                columns.append(", api_key_id, team");
                values.append(", u.api_key_id, u.team");
                arrays.append(", cast(:%1$sapi_key_id as text[]), cast(:%1$steam as text[])");
                names.append(", api_key_id, team");
                key.append(", api_key_id, team");
            }
            StringBuilder updates = new StringBuilder();
            for (String total : totals) {
                columns.append(", ").append(total);
                names.append(", ").append(total);
                boolean decimal = DECIMALS.contains(total);
                values.append(", ").append(decimal ? "cast(u." + total + " as numeric)" : "u." + total);
                arrays.append(", cast(:%1$s").append(total).append(decimal ? " as text[])" : " as bigint[])");
                updates.append(updates.isEmpty() ? "" : ", ").append(total).append(" = r.").append(total)
                        .append(" + excluded.").append(total);
            }
            for (String hist : List.of("latency_hist", "ttft_hist")) {
                columns.append(", ").append(hist);
                names.append(", ").append(hist);
                values.append(", cast(u.").append(hist).append(" as int[])");
                arrays.append(", cast(:%1$s").append(hist).append(" as text[])");
                updates.append(", ").append(hist).append(" = histogram_add(r.").append(hist).append(", excluded.")
                        .append(hist).append(')');
            }
            sql.append(t == TABLES.get(0) ? "" : ", ").append(t.prefix()).append("rows as (insert into ")
                    .append(t.name()).append(" as r (").append(columns).append(") select ").append(values)
                    .append(" from unnest(").append(arrays.toString().formatted(t.prefix()))
                    .append(") with ordinality as u(").append(names).append(", n) order by n on conflict (")
                    .append(key).append(") do update set ").append(updates).append(" returning 1)");
        }
        sql.append(" select ");
        for (Table t : TABLES) {
            sql.append(t == TABLES.get(0) ? "" : " + ").append("(select count(*) from ").append(t.prefix())
                    .append("rows)");
        }
        return sql.toString();
    }

    /** Adds the deltas; must run inside the ledger write's transaction. Returns the rollup rows touched. */
    Uni<Long> add(RollupDeltas deltas) {
        if (deltas.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        bind(parameters, TABLES.get(0), deltas.minute());
        bind(parameters, TABLES.get(1), deltas.hour());
        bind(parameters, TABLES.get(2), deltas.seriesMinute());
        bind(parameters, TABLES.get(3), deltas.seriesHour());
        return Panache.getSession().chain(session -> {
            Mutiny.SelectionQuery<Object> query = session.createNativeQuery(UPSERT, Object.class);
            parameters.forEach(query::setParameter);
            return query.getSingleResult();
        }).map(n -> ((Number) n).longValue());
    }

    private static void bind(Map<String, Object> parameters, Table t, List<RollupDeltas.Row> rows) {
        String p = t.prefix();
        parameters.put(p + "at_micros", longs(rows, r -> r.key.startMicros()));
        parameters.put(p + "provider", texts(rows, r -> r.key.provider()));
        parameters.put(p + "served_model", texts(rows, r -> r.key.model()));
        if (t.full()) {
            parameters.put(p + "api_key_id", texts(rows, r -> r.key.apiKey()));
            parameters.put(p + "team", texts(rows, r -> r.key.team()));
        }
        parameters.put(p + "requests", longs(rows, r -> r.requests));
        parameters.put(p + "errors", longs(rows, r -> r.errors));
        parameters.put(p + "prompt_tokens", longs(rows, r -> r.promptTokens));
        parameters.put(p + "completion_tokens", longs(rows, r -> r.completionTokens));
        parameters.put(p + "total_cost", texts(rows, r -> r.totalCost.toPlainString()));
        parameters.put(p + "cached_tokens", longs(rows, r -> r.cachedTokens));
        parameters.put(p + "input_cost", texts(rows, r -> r.inputCost.toPlainString()));
        parameters.put(p + "output_cost", texts(rows, r -> r.outputCost.toPlainString()));
        parameters.put(p + "reported_cost", texts(rows, r -> r.reportedCost.toPlainString()));
        parameters.put(p + "priced_requests", longs(rows, r -> r.pricedRequests));
        parameters.put(p + "reported_requests", longs(rows, r -> r.reportedRequests));
        parameters.put(p + "reported_configured_cost",
                texts(rows, r -> r.reportedConfiguredCost.toPlainString()));
        parameters.put(p + "unpriced_requests", longs(rows, r -> r.unpricedRequests));
        parameters.put(p + "unpriced_tokens", longs(rows, r -> r.unpricedTokens));
        parameters.put(p + "latency_hist", texts(rows, r -> literal(r.latency.build())));
        parameters.put(p + "ttft_hist", texts(rows, r -> literal(r.ttft.build())));
    }

    private static String literal(LatencyHistogram histogram) {
        return histogram == null ? null : histogram.literal();
    }

    private static Long[] longs(List<RollupDeltas.Row> rows, Function<RollupDeltas.Row, Long> value) {
        return rows.stream().map(value).toArray(Long[]::new);
    }

    private static String[] texts(List<RollupDeltas.Row> rows, Function<RollupDeltas.Row, String> value) {
        return rows.stream().map(value).toArray(String[]::new);
    }
}
