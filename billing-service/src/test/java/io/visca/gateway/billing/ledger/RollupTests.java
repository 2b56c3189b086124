package io.visca.gateway.billing.ledger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.Meters;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * The rollups kept at ingest (minute and hour, full and series) equal the aggregates of the raw records they were
 * made from, histograms included, after a mix of events with duplicates in one batch and redelivered later.
 */
@QuarkusTest
class RollupTests {

    @Test
    void rollupsEqualTheRawAggregatesAfterDuplicatesAndRedeliveries() throws SQLException {
        String team = UsageEvents.unique("team");
        String providerA = UsageEvents.unique("prov-a");
        String providerB = UsageEvents.unique("prov-b");
        Instant start = FinanceApi.freshDays(1).plusSeconds(3_600 - 150);
        Random random = new Random(18);
        List<UsageRecorded> events = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            boolean stream = random.nextInt(3) == 0;
            boolean priced = random.nextInt(5) != 0;
            EventBuilder e = EventBuilder.event().team(team).provider(random.nextBoolean() ? providerA : providerB)
                    .model(random.nextBoolean() ? "m-1" : "m-2").key("key-" + random.nextInt(3))
                    .at(start.plusMillis(random.nextInt(300_000)))
                    .latency(random.nextInt(20) == 0 ? random.nextInt(16) : random.nextInt(90_000))
                    .stream(stream).ttft(stream && random.nextInt(4) != 0 ? (long) random.nextInt(5_000) : null)
                    .tokens(random.nextInt(5_000), random.nextInt(2_000), random.nextInt(100));
            if (priced) {
                e.cost("0.000" + random.nextInt(1_000_000), "0.0000" + random.nextInt(1_000_000));
            }
            if (random.nextInt(3) == 0) {
                e.reported("0.00" + random.nextInt(100_000));
            }
            if (random.nextInt(10) == 0) {
                e.status("error");
            }
            events.add(e.build());
        }
        double duplicatesBefore = Meters.meter("billing_events_duplicate_total");
        List<UsageRecorded> first = new ArrayList<>(events.subList(0, 80));
        first.addAll(events.subList(0, 10)); // twice in one batch
        UsageEvents.send(first);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(team) == 80);
        List<UsageRecorded> second = new ArrayList<>(events.subList(60, 120)); // 20 redelivered
        UsageEvents.send(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(team) == 120
                && Meters.meter("billing_events_duplicate_total") >= duplicatesBefore + 30);

        String full = "select %s, provider, served_model, api_key_id, team, requests, errors, prompt_tokens, "
                + "completion_tokens, cached_tokens, input_cost, output_cost, total_cost, reported_cost, "
                + "priced_requests, reported_requests, reported_configured_cost, unpriced_requests, unpriced_tokens, "
                + "cast(latency_hist as text), cast(ttft_hist as text) from %s where team = ? order by 1, 2, 3, 4";
        String rawFull = """
                select date_trunc('%s', occurred_at, 'UTC'), coalesce(provider, ''), coalesce(served_model, ''),
                       coalesce(api_key_id, ''), coalesce(team, ''), count(*), count(*) filter (where status = 'error'),
                       sum(prompt_tokens), sum(completion_tokens), sum(cached_tokens), coalesce(sum(input_cost), 0),
                       coalesce(sum(output_cost), 0), coalesce(sum(total_cost), 0), coalesce(sum(reported_cost), 0),
                       count(total_cost), count(reported_cost),
                       coalesce(sum(total_cost) filter (where reported_cost is not null), 0),
                       count(*) filter (where total_cost is null and served_model is not null),
                       coalesce(sum(prompt_tokens + completion_tokens)
                           filter (where total_cost is null and served_model is not null), 0),
                       cast(histogram_of(latency_ms) as text),
                       cast(histogram_of(time_to_first_token_ms) filter (where stream) as text)
                from usage_record where team = ? group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4""";
        assertSame(table(full.formatted("minute", "usage_minute"), team), table(rawFull.formatted("minute"), team),
                "usage_minute");
        assertSame(table(full.formatted("hour", "usage_hourly"), team), table(rawFull.formatted("hour"), team),
                "usage_hourly");
        String series = "select %s, provider, served_model, requests, errors, prompt_tokens, completion_tokens, "
                + "total_cost, cast(latency_hist as text), cast(ttft_hist as text) from %s "
                + "where provider in ('" + providerA + "', '" + providerB + "') and ? <> '' order by 1, 2, 3";
        String rawSeries = """
                select date_trunc('%s', occurred_at, 'UTC'), provider, served_model, count(*),
                       count(*) filter (where status = 'error'), sum(prompt_tokens), sum(completion_tokens),
                       coalesce(sum(total_cost), 0), cast(histogram_of(latency_ms) as text),
                       cast(histogram_of(time_to_first_token_ms) filter (where stream) as text)
                from usage_record where team = ? group by 1, 2, 3 order by 1, 2, 3""";
        assertSame(table(series.formatted("minute", "usage_series_minute"), team),
                table(rawSeries.formatted("minute"), team), "usage_series_minute");
        assertSame(table(series.formatted("hour", "usage_series_hourly"), team),
                table(rawSeries.formatted("hour"), team), "usage_series_hourly");
    }

    private static long rows(String team) {
        return Ledger.count("select count(*) from usage_record where team = ?", team);
    }

    /** Rows as text; histograms compared by their counts (a gap the SQL aggregate leaves null is a 0). */
    private static void assertSame(List<List<String>> rollup, List<List<String>> raw, String table) {
        assertFalse(raw.isEmpty(), table + ": nothing to compare");
        assertEquals(raw.size(), rollup.size(), table + ": rows");
        for (int i = 0; i < raw.size(); i++) {
            List<String> want = raw.get(i);
            List<String> got = rollup.get(i);
            int n = want.size();
            assertEquals(want.subList(0, n - 2), got.subList(0, n - 2), table + " row " + i);
            for (int h = n - 2; h < n; h++) {
                LatencyHistogram w = LatencyHistogram.parse(want.get(h));
                LatencyHistogram g = LatencyHistogram.parse(got.get(h));
                assertEquals(w == null ? null : dense(w), g == null ? null : dense(g), table + " row " + i + " hist");
            }
        }
    }

    private static List<Long> dense(LatencyHistogram h) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < h.lowest(); i++) {
            out.add(0L);
        }
        for (long c : h.counts()) {
            out.add(c);
        }
        while (!out.isEmpty() && out.get(out.size() - 1) == 0) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static List<List<String>> table(String sql, String parameter) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = Ledger.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        Object value = rs.getObject(i);
                        row.add(value == null ? null
                                : value instanceof java.math.BigDecimal d ? d.stripTrailingZeros().toPlainString()
                                        : value.toString());
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }
}
