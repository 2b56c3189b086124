package io.visca.gateway.system;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Billing's ledger read straight from its database, behind billing's back: the rows of a test's requests by their
 * correlation id ({@code x-request-id}), so a test compares what clients saw answered with what was billed.
 */
final class BillingLedger {

    /** One request id's rows in the ledger: how many, the last status and the cost. */
    record Row(int count, String status, BigDecimal cost) {
    }

    private final Map<String, String> db;

    /** @param db the billing database of a {@link GatewayStack#withBilling stack with billing} */
    BillingLedger(Map<String, String> db) {
        this.db = db;
    }

    /**
     * The run's rows once every one of {@code requestIds} is there (billing consumes asynchronously), read again
     * 2 s later so that a duplicate still on its way is counted; what is there after {@code within} otherwise.
     */
    Map<String, Row> awaitAll(String run, Set<String> requestIds, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, Row> rows;
        do {
            rows = rows(run);
            if (rows.keySet().containsAll(requestIds)) {
                Thread.sleep(2_000);
                return rows(run);
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return rows;
    }

    /** The rows of every request id that starts with {@code run-}. */
    Map<String, Row> rows(String run) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement(
                        "select request_id, status, total_cost from usage_record where request_id like ?")) {
            query.setString(1, run + "-%");
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    Row before = rows.get(result.getString(1));
                    BigDecimal cost = result.getBigDecimal(3);
                    rows.put(result.getString(1), new Row(before == null ? 1 : before.count + 1, result.getString(2),
                            cost == null ? BigDecimal.ZERO : cost));
                }
            }
        }
        return rows;
    }

    /** How many rows carry exactly this request id. */
    int count(String requestId) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement(
                        "select count(*) from usage_record where request_id = ?")) {
            query.setString(1, requestId);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:" + db.get("url"), db.get("user"), db.get("password"));
    }
}
