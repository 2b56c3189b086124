package io.visca.gateway.billing.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.visca.gateway.infra.EmbeddedPostgresServer;
import io.visca.gateway.infra.Ports;

/**
 * A PostgreSQL server of its own (real, embedded), on a fixed port and data folder, that an outage test can stop and
 * start again with its data. The shared server of the other tests cannot be stopped under them.
 */
public class OutagePostgresResource implements QuarkusTestResourceLifecycleManager {

    private static final Path DATA = Path.of("target/outage-postgres").toAbsolutePath();
    private static final List<String> DATABASES = List.of("billing");
    private static EmbeddedPostgresServer server;
    private static int port;

    @Override
    public Map<String, String> start() {
        deleteData();
        port = Ports.free();
        startPostgres();
        String url = server.url("billing");
        return Map.of("quarkus.datasource.reactive.url", url, "quarkus.datasource.jdbc.url", "jdbc:" + url,
                "quarkus.datasource.username", EmbeddedPostgresServer.USER, "quarkus.datasource.password",
                EmbeddedPostgresServer.PASSWORD);
    }

    @Override
    public void stop() {
        stopPostgres();
        deleteData();
    }

    /** Stops the server (fast shutdown: open connections are cut); its data stays. */
    public static synchronized void stopPostgres() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    /** Starts it (again) on the same port with the same data. */
    public static synchronized void startPostgres() {
        if (server == null) {
            try {
                server = EmbeddedPostgresServer.start(port, DATA, DATABASES);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void deleteData() {
        if (!Files.exists(DATA)) {
            return;
        }
        try (Stream<Path> files = Files.walk(DATA)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
