package io.visca.gateway.billing.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.UsageEvents;

/**
 * The V2 migration (ledger keyed by event id) on a ledger written before it: Flyway runs the migrations step by step
 * into a schema of this test's own (the application's own schema is already migrated), with rows stored in the old
 * shape in between.
 */
@QuarkusTest
class LedgerMigrationTests {

    @Test
    void rowsStoredBeforeTheEventIdKeyKeepTheirRequestIdAsEventId() throws SQLException {
        String schema = UsageEvents.unique("migration").replace('-', '_');
        try (Connection c = Ledger.connect(); Statement s = c.createStatement()) {
            try {
                migrate(schema, "1");
                s.execute(oldRow(schema, "req-before-1", "2026-01-01T10:00:00Z"));
                s.execute(oldRow(schema, "req-before-2", "2026-01-01T11:00:00Z"));

                // up to V5: V6 keys the partitioned ledger by (occurred_at, event_id), see LedgerPartitionTests
                migrate(schema, "5");

                assertEquals(List.of("req-before-1|req-before-1", "req-before-2|req-before-2"),
                        strings(s, "select event_id || '|' || request_id from " + schema
                                + ".usage_record order by request_id"),
                        "each old row's event id is its request id");
                assertEquals(List.of("event_id"), strings(s, """
                        select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid
                            and a.attnum = any(i.indkey)
                        where i.indrelid = '%s.usage_record'::regclass and i.indisprimary""".formatted(schema)),
                        "the primary key is the event id");
                assertEquals(List.of("usage_record_pkey", "usage_record_request", "usage_record_time"), strings(s,
                        "select indexname from pg_indexes where schemaname = '" + schema
                                + "' and tablename = 'usage_record' order by 1"));

                // a new request with an old row's request id is a row of its own; the same event id is refused
                s.execute(newRow(schema, "9d4f3c1e-8a2b-4c5d-9e6f-7a8b9c0d1e2f", "req-before-1"));
                assertEquals(List.of("3"), strings(s, "select count(*) from " + schema + ".usage_record"));
                SQLException duplicate = assertThrows(SQLException.class,
                        () -> s.execute(newRow(schema, "req-before-2", "another-request")));
                assertEquals("23505", duplicate.getSQLState(), "unique violation on the event id");
                assertThrows(SQLException.class, () -> s.execute("insert into " + schema + ".usage_record ("
                        + COLUMNS + ") values (null, " + VALUES.formatted("'no-event-id'", "2026-01-01T12:00:00Z")
                        + ")"), "an event id is required");
            } finally {
                s.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    @Test
    void theApplicationsLedgerIsMigrated() throws SQLException {
        try (Connection c = Ledger.connect(); Statement s = c.createStatement()) {
            List<String> applied = strings(s, "select version || '|' || success from flyway_schema_history "
                    + "where version is not null order by installed_rank");
            assertTrue(applied.contains("2|true"), "V2 applied at start: " + applied);
        }
    }

    private static final String COLUMNS = "event_id, request_id, occurred_at, status, http_status, stream, attempts, "
            + "prompt_tokens, completion_tokens, cached_tokens, tokens_estimated, latency_ms, attempt_log, "
            + "schema_version";
    private static final String VALUES = "%s, timestamptz '%s', 'success', 200, false, 1, 100, 20, 0, false, 120, "
            + "'[]', 1";

    /** A row as version 1 of the schema had it: no event id, the request id was the key. */
    private static String oldRow(String schema, String requestId, String at) {
        return "insert into " + schema + ".usage_record (" + COLUMNS.substring("event_id, ".length()) + ") values ("
                + VALUES.formatted("'" + requestId + "'", at) + ")";
    }

    private static String newRow(String schema, String eventId, String requestId) {
        return "insert into " + schema + ".usage_record (" + COLUMNS + ") values ('" + eventId + "', "
                + VALUES.formatted("'" + requestId + "'", "2026-01-01T12:00:00Z") + ")";
    }

    static void migrate(String schema, String target) {
        Config config = ConfigProvider.getConfig();
        Flyway.configure()
                .dataSource(config.getValue("quarkus.datasource.jdbc.url", String.class),
                        config.getValue("quarkus.datasource.username", String.class),
                        config.getValue("quarkus.datasource.password", String.class))
                .schemas(schema).createSchemas(true)
                // the migrations as they ship, read from the sources (the test's class loader is Quarkus's)
                .locations("filesystem:src/main/resources/db/migration")
                .target(target)
                .load().migrate();
    }

    static List<String> strings(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
