package io.visca.gateway.system;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Billing's ledger read straight from its database, behind billing's back: the rows of a test's requests by their
 * correlation id ({@code x-request-id}), so a test compares what clients saw answered with what was billed; and the
 * quota store's budget leases, to see which router holds what.
 */
final class BillingLedger {

    /** One request id's rows in the ledger: how many, the last status and the cost. */
    record Row(int count, String status, BigDecimal cost) {
    }

    /** A router's leases of one budget: how many are open, released by the router, reclaimed by the store. */
    record Leases(int open, int released, int reclaimed, BigDecimal outstanding) {
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

    /** Everything the ledger billed for a gateway key (all its rows, whatever their request id). */
    BigDecimal keySpend(String keyId) throws SQLException {
        return decimal("select coalesce(sum(total_cost), 0) from usage_record where api_key_id = ?", keyId);
    }

    /** The routers ({@code router_id}) whose budget leases the ledger rows of these request ids were admitted under. */
    Set<String> routersOf(Set<String> requestIds) throws SQLException {
        Set<String> routers = new HashSet<>();
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement("""
                        select distinct l.router_id from usage_record u cross join unnest(u.budget_leases) as n(lease)
                        join budget_lease l on cast(l.id as text) = n.lease where u.request_id = any(?)""")) {
            query.setArray(1, connection.createArrayOf("text", requestIds.toArray()));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    routers.add(result.getString(1));
                }
            }
        }
        return routers;
    }

    /**
     * One router's leases of a key's budget (every router's: {@code routerId} null); {@code outstanding}: what its
     * open leases hold beyond what was billed under them (budget no other router can use until they are released or
     * reclaimed).
     */
    Leases leases(String routerId, String keyId) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement("""
                        select count(*) filter (where released_at is null and reclaimed_at is null),
                               count(*) filter (where released_at is not null),
                               count(*) filter (where reclaimed_at is not null),
                               coalesce(sum(greatest(amount, settled) - settled)
                                   filter (where released_at is null and reclaimed_at is null), 0)
                        from budget_lease where (cast(? as text) is null or router_id = ?) and scope = ?""")) {
            query.setString(1, routerId);
            query.setString(2, routerId);
            query.setString(3, "key:" + keyId);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return new Leases(result.getInt(1), result.getInt(2), result.getInt(3), result.getBigDecimal(4));
            }
        }
    }

    /** What the quota store has committed of a key's budget: its spend plus every lease's charge (all periods). */
    BigDecimal committed(String keyId) throws SQLException {
        return decimal("select coalesce(sum(committed), 0) from budget_counter where scope = ?", "key:" + keyId);
    }

    private BigDecimal decimal(String sql, String parameter) throws SQLException {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getBigDecimal(1);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:" + db.get("url"), db.get("user"), db.get("password"));
    }
}
