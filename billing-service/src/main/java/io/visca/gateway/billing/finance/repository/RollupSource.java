package io.visca.gateway.billing.finance.repository;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.visca.gateway.billing.finance.query.UsageFilter;

/**
 * A time range [from, to) read from the rollups: the whole hours from the hourly rollup, the whole minutes around
 * them from the minute rollup, and only the partial minutes at either end (less than a minute each) from the raw
 * records, so the rows read grow with the range's hours and the groups in them, not with the requests. Each piece is
 * shaped alike and the pieces are joined with {@code union all}.
 */
final class RollupSource {

    enum Kind {
        RAW,
        MINUTE,
        HOUR
    }

    /** One piece of the range and where it is read from. */
    record Segment(Kind kind, Instant from, Instant to) {
    }

    private RollupSource() {
    }

    /**
     * [from, to) cut into pieces: raw records for the partial minutes at the ends, hours (when {@code hours}) for the
     * whole hours, minutes for the rest. Empty pieces are left out.
     */
    static List<Segment> split(Instant from, Instant to, boolean hours) {
        List<Segment> out = new ArrayList<>();
        Instant minuteFrom = ceil(from, ChronoUnit.MINUTES);
        Instant minuteTo = to.truncatedTo(ChronoUnit.MINUTES);
        if (!minuteFrom.isBefore(minuteTo)) {
            add(out, Kind.RAW, from, to);
            return out;
        }
        add(out, Kind.RAW, from, minuteFrom);
        Instant hourFrom = ceil(minuteFrom, ChronoUnit.HOURS);
        Instant hourTo = minuteTo.truncatedTo(ChronoUnit.HOURS);
        if (hours && hourFrom.isBefore(hourTo)) {
            add(out, Kind.MINUTE, minuteFrom, hourFrom);
            add(out, Kind.HOUR, hourFrom, hourTo);
            add(out, Kind.MINUTE, hourTo, minuteTo);
        } else {
            add(out, Kind.MINUTE, minuteFrom, minuteTo);
        }
        add(out, Kind.RAW, minuteTo, to);
        return out;
    }

    /**
     * The rows of a time series over the filter's range, each {@code (t, requests, errors, prompt_tokens,
     * completion_tokens, total_cost, latency_hist, ttft_hist)} with t the start of its minute or hour. Without a key
     * or team filter they come from the series rollups (provider and model only: fewer rows).
     */
    static String series(UsageFilter filter, boolean hours, Map<String, Object> parameters) {
        boolean narrow = filter.apiKey() == null && filter.team() == null;
        StringBuilder sql = new StringBuilder("(");
        List<Segment> segments = split(filter.from(), filter.to(), hours);
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            String p = "s" + i + "_";
            sql.append(i == 0 ? "" : " union all ");
            if (s.kind() == Kind.RAW) {
                sql.append("""
                        select date_trunc('minute', occurred_at, 'UTC') as t, count(*) as requests,
                               count(*) filter (where status = 'error') as errors,
                               cast(sum(prompt_tokens) as bigint) as prompt_tokens,
                               cast(sum(completion_tokens) as bigint) as completion_tokens,
                               coalesce(sum(total_cost), 0) as total_cost, histogram_of(latency_ms) as latency_hist,
                               histogram_of(time_to_first_token_ms) filter (where stream) as ttft_hist
                        from usage_record where occurred_at >= cast(cast(:%1$sfrom as text) as timestamptz)
                            and occurred_at < cast(cast(:%1$sto as text) as timestamptz)""".formatted(p));
                filters(sql, parameters, p, filter);
                sql.append(" group by 1");
            } else {
                String time = s.kind() == Kind.HOUR ? "hour" : "minute";
                String table = (narrow ? "usage_series_" : "usage_") + (s.kind() == Kind.HOUR ? "hourly" : "minute");
                sql.append("select ").append(time).append(" as t, requests, errors, prompt_tokens, completion_tokens, "
                        + "total_cost, latency_hist, ttft_hist from ").append(table).append(" where ").append(time)
                        .append(" >= cast(cast(:").append(p).append("from as text) as timestamptz) and ").append(time)
                        .append(" < cast(cast(:").append(p).append("to as text) as timestamptz)");
                filters(sql, parameters, p, filter);
            }
            parameters.put(p + "from", s.from().toString());
            parameters.put(p + "to", s.to().toString());
        }
        return sql.append(")").toString();
    }

    /**
     * The filter's range as rows of {@code usage_hourly} ({@code hour} truncated to the hour), for summaries; when
     * {@code narrow} (nothing asks for the key or team) from the series rollups, with '' as key and team.
     */
    static String hourly(UsageFilter filter, boolean narrow, String hourlyColumns, String rawAsHourly,
            Map<String, Object> parameters) {
        String rollupColumns = narrow
                ? hourlyColumns.replace("api_key_id, team,", "'' as api_key_id, '' as team,")
                : hourlyColumns;
        String prefix = narrow ? "usage_series_" : "usage_";
        StringBuilder sql = new StringBuilder("(");
        List<Segment> segments = split(filter.from(), filter.to(), true);
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            String p = "s" + i + "_";
            sql.append(i == 0 ? "" : " union all ");
            String time = switch (s.kind()) {
                case RAW -> "occurred_at";
                case MINUTE -> "minute";
                case HOUR -> "hour";
            };
            switch (s.kind()) {
                case RAW -> sql.append(rawAsHourly);
                case MINUTE -> sql.append("select ").append(rollupColumns.replaceFirst("^hour",
                        "date_bin('1 hour', minute, timestamptz 'epoch') as hour")).append(" from ").append(prefix)
                        .append("minute");
                case HOUR -> sql.append("select ").append(rollupColumns).append(" from ").append(prefix)
                        .append("hourly");
            }
            sql.append(" where ").append(time).append(" >= cast(cast(:").append(p).append("from as text) as "
                    + "timestamptz) and ").append(time).append(" < cast(cast(:").append(p).append("to as text) as "
                            + "timestamptz)");
            filters(sql, parameters, p, filter);
            parameters.put(p + "from", s.from().toString());
            parameters.put(p + "to", s.to().toString());
        }
        if (segments.isEmpty()) {
            sql.append("select ").append(hourlyColumns).append(" from usage_hourly where false");
        }
        return sql.append(") as usage_hourly").toString();
    }

    /** The exact-match filters of the rollups' dimensions, each parameter named {@code prefix + column}. */
    private static void filters(StringBuilder sql, Map<String, Object> parameters, String prefix, UsageFilter filter) {
        String[] columns = { "provider", "served_model", "api_key_id", "team" };
        String[] values = { filter.provider(), filter.model(), filter.apiKey(), filter.team() };
        for (int i = 0; i < columns.length; i++) {
            if (values[i] != null) {
                sql.append(" and ").append(columns[i]).append(" = :").append(prefix).append(columns[i]);
                parameters.put(prefix + columns[i], values[i]);
            }
        }
    }

    private static void add(List<Segment> out, Kind kind, Instant from, Instant to) {
        if (from.isBefore(to)) {
            out.add(new Segment(kind, from, to));
        }
    }

    private static Instant ceil(Instant t, ChronoUnit unit) {
        Instant floor = t.truncatedTo(unit);
        return floor.equals(t) ? t : floor.plus(1, unit);
    }
}
