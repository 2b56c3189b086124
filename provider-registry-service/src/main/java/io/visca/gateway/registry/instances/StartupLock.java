package io.visca.gateway.registry.instances;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * Runs the start-up work that reads the database and then writes it (seeding the managed providers and
 * {@code PROVIDERS_DIR}, re-encrypting secrets) one registry instance at a time: under a PostgreSQL advisory lock
 * held by a transaction on a JDBC connection of its own, which another instance starting at the same moment waits
 * for. The lock goes with the transaction, so a process that dies while holding it frees it at once. Blocks: for
 * start-up observers only.
 */
@ApplicationScoped
public class StartupLock {

    /** The key of the lock ({@code 'visca' * 256 + 2}); the outbox relay uses {@code + 1}. */
    static final long KEY = 0x766973636102L;

    private final AgroalDataSource dataSource;

    StartupLock(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} while holding the lock; a failure to take it runs nothing and throws. */
    public <T> T run(String what, java.util.function.Supplier<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("select pg_advisory_xact_lock(" + KEY + ")");
                return work.get();
            } finally {
                connection.rollback(); // ends the transaction, which frees the lock; it wrote nothing
            }
        } catch (SQLException e) {
            throw new IllegalStateException("taking the start-up lock for " + what + " failed: " + e.getMessage(), e);
        }
    }
}
