package io.visca.gateway.billing.ledger;

import static io.visca.gateway.billing.ledger.LedgerMigrationTests.migrate;
import static io.visca.gateway.billing.ledger.LedgerMigrationTests.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.UsageEvents;

/**
 * The V6 migration on a ledger written before it: the raw records move into monthly partitions keyed by
 * (occurred_at, event_id), the minute and series rollups are backfilled from them and the hourly rollup gains their
 * histograms.
 */
@QuarkusTest
class PartitionMigrationTests {

    @Test
    void rawRecordsMoveIntoMonthlyPartitionsAndTheRollupsAreBackfilled() throws SQLException {
        String schema = UsageEvents.unique("partitions").replace('-', '_');
        try (Connection c = Ledger.connect(); Statement s = c.createStatement()) {
            try {
                migrate(schema, "5");
                row(s, schema, "e1", "2026-01-31T23:59:10Z", 100, "0.5");
                row(s, schema, "e2", "2026-01-31T23:59:50Z", 3000, "0.25");
                row(s, schema, "e3", "2026-02-01T00:00:05Z", 7, null);
                // the hourly rollup as the V5 writer kept it
                s.execute("insert into " + schema + ".usage_hourly (hour, provider, served_model, api_key_id, team, "
                        + "requests, errors, prompt_tokens, completion_tokens, cached_tokens, input_cost, "
                        + "output_cost, total_cost, reported_cost, priced_requests, reported_requests, "
                        + "reported_configured_cost, unpriced_requests, unpriced_tokens) select "
                        + "date_trunc('hour', occurred_at, 'UTC'), provider, served_model, api_key_id, '', count(*), "
                        + "0, sum(prompt_tokens), sum(completion_tokens), 0, 0, 0, coalesce(sum(total_cost), 0), 0, "
                        + "count(total_cost), 0, 0, count(*) - count(total_cost), 0 from " + schema
                        + ".usage_record group by 1, 2, 3, 4");

                migrate(schema, "latest");

                assertEquals(List.of("e1|usage_record_202601", "e2|usage_record_202601", "e3|usage_record_202602"),
                        strings(s, "select event_id || '|' || cast(tableoid::regclass as text) from " + schema
                                + ".usage_record order by event_id").stream()
                                .map(r -> r.replace(schema + ".", "")).toList());
                assertEquals(List.of("occurred_at", "event_id"), strings(s, """
                        select a.attname from pg_index i cross join generate_series(0, 1) as k(n)
                        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k.n]
                        where i.indrelid = '%s.usage_record'::regclass and i.indisprimary order by k.n"""
                        .formatted(schema)), "the key holds the partition key");
                // histograms: 100 ms in bucket 36, 3000 ms in bucket 75, 7 ms in bucket 7; nothing streamed
                String shape = " || '|' || array_lower(latency_hist, 1) || '|' || array_upper(latency_hist, 1) || '|' "
                        + "|| (select sum(v) from unnest(latency_hist) v) || '|' || coalesce(cast(ttft_hist as text), "
                        + "'none')";
                assertEquals(List.of("2|0.75|36|75|2|none", "1|0|7|7|1|none"), strings(s, "select requests || '|' || "
                        + "total_cost" + shape + " from " + schema + ".usage_minute order by minute"));
                assertEquals(List.of("2|36|75|2|none", "1|7|7|1|none"), strings(s, "select requests" + shape
                        + " from " + schema + ".usage_hourly order by hour"));
                assertEquals(List.of("2|0.75", "1|0"), strings(s, "select requests || '|' || total_cost from "
                        + schema + ".usage_series_hourly order by hour"));
            } finally {
                s.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    private static void row(Statement s, String schema, String eventId, String at, long latency, String cost)
            throws SQLException {
        s.execute("insert into " + schema + ".usage_record (event_id, request_id, occurred_at, provider, served_model, "
                + "api_key_id, status, http_status, stream, attempts, prompt_tokens, completion_tokens, "
                + "cached_tokens, tokens_estimated, total_cost, latency_ms, attempt_log, schema_version) values ('"
                + eventId + "', 'r-" + eventId + "', timestamptz '" + at + "', 'p', 'm', 'k', 'success', 200, false, "
                + "1, 10, 5, 0, false, " + (cost == null ? "null" : cost) + ", " + latency + ", '[]', 1)");
    }
}
