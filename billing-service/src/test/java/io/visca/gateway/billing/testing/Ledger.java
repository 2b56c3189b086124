package io.visca.gateway.billing.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Looks into the billing database directly (JDBC), for what the API does not show. */
public final class Ledger {

    private Ledger() {
    }

    public static Connection connect() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    /** A single number from {@code sql} with one string parameter. */
    public static long count(String sql, String parameter) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Raw rows of an API key. */
    public static long rawRows(String apiKey) {
        return count("select count(*) from usage_record where api_key_id = ?", apiKey);
    }

    /** Requests the rollup holds for an API key. */
    public static long rolledUpRequests(String apiKey) {
        return count("select coalesce(sum(requests), 0) from usage_hourly where api_key_id = ?", apiKey);
    }
}
