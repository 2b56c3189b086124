package io.visca.gateway.infra.test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.visca.gateway.infra.EmbeddedKafka;
import io.visca.gateway.infra.EmbeddedPostgresServer;

/**
 * Gives a Quarkus test a real Kafka broker and, with init arg {@code database=<name>}, a real PostgreSQL
 * database, found in this order:
 * <ol>
 * <li>the environment: {@code KAFKA_BOOTSTRAP_SERVERS}, and {@code DB_URL} ({@code postgresql://host:port/db})
 * with {@code DB_USER} / {@code DB_PASSWORD};</li>
 * <li>Quarkus Dev Services, when the build found a Docker engine ({@code -Dgateway.infra=devservices}): this
 * resource then supplies nothing;</li>
 * <li>otherwise an embedded broker and server, started once per test JVM and shared by its test classes.</li>
 * </ol>
 * Init arg {@code kafka=false} leaves Kafka out.
 */
public class GatewayInfraResource implements QuarkusTestResourceLifecycleManager {

    private boolean kafka = true;
    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        kafka = !"false".equals(initArgs.get("kafka"));
        database = initArgs.get("database");
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        boolean devServices = "devservices".equals(System.getProperty("gateway.infra"));
        CompletableFuture<String> bootstrap = CompletableFuture.completedFuture(null);
        CompletableFuture<String> dbUrl = CompletableFuture.completedFuture(null);
        if (kafka) {
            String fromEnv = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
            if (fromEnv != null && !fromEnv.isBlank()) {
                bootstrap = CompletableFuture.completedFuture(fromEnv);
            } else if (!devServices) {
                bootstrap = CompletableFuture.supplyAsync(() -> Shared.kafka().bootstrapServers());
            }
        }
        String user = EmbeddedPostgresServer.USER;
        String password = EmbeddedPostgresServer.PASSWORD;
        if (database != null) {
            String fromEnv = System.getenv("DB_URL");
            if (fromEnv != null && !fromEnv.isBlank()) {
                dbUrl = CompletableFuture.completedFuture(fromEnv);
                user = System.getenv().getOrDefault("DB_USER", user);
                password = System.getenv().getOrDefault("DB_PASSWORD", password);
            } else if (!devServices) {
                String db = database;
                dbUrl = CompletableFuture.supplyAsync(() -> Shared.postgres(db));
            }
        }
        String servers = bootstrap.join();
        if (servers != null) {
            config.put("kafka.bootstrap.servers", servers);
        }
        String url = dbUrl.join();
        if (url != null) {
            config.put("quarkus.datasource.reactive.url", url);
            config.put("quarkus.datasource.jdbc.url", "jdbc:" + url);
            config.put("quarkus.datasource.username", user);
            config.put("quarkus.datasource.password", password);
        }
        return config;
    }

    @Override
    public void stop() {
        // shared by every test class of this JVM; stopped when the JVM exits
    }

    /**
     * The broker for a process a test starts itself (e.g. another service): {@code KAFKA_BOOTSTRAP_SERVERS}, else
     * this JVM's embedded broker (Dev Services brokers are not reachable from outside Quarkus's own config).
     */
    public static String kafkaBootstrapServers() {
        String fromEnv = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : Shared.kafka().bootstrapServers();
    }

    /**
     * A database for a process a test starts itself: {@code DB_URL} (with {@code DB_USER} / {@code DB_PASSWORD}),
     * else database {@code name} on this JVM's embedded server.
     *
     * @return {@code url} ({@code postgresql://host:port/db}), {@code user} and {@code password}
     */
    public static Map<String, String> database(String name) {
        String fromEnv = System.getenv("DB_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Map.of("url", fromEnv, "user", System.getenv().getOrDefault("DB_USER", EmbeddedPostgresServer.USER),
                    "password", System.getenv().getOrDefault("DB_PASSWORD", EmbeddedPostgresServer.PASSWORD));
        }
        return Map.of("url", Shared.postgres(name), "user", EmbeddedPostgresServer.USER, "password",
                EmbeddedPostgresServer.PASSWORD);
    }

    /** Whether this test JVM runs the embedded broker, which outage tests can stop and start. */
    public static boolean kafkaIsEmbedded() {
        synchronized (Shared.class) {
            return Shared.kafka != null;
        }
    }

    /** Stops the embedded broker (its records are kept): everything that talks to Kafka now sees it down. */
    public static void stopKafka() {
        embeddedKafka().stop();
    }

    /** Starts the embedded broker again at the same address, with the records it had. */
    public static void startKafka() {
        try {
            embeddedKafka().restart();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("restarting the embedded Kafka broker failed", e);
        }
    }

    private static EmbeddedKafka embeddedKafka() {
        synchronized (Shared.class) {
            if (Shared.kafka == null) {
                throw new IllegalStateException("Kafka is not embedded in this test run (an external broker or Dev "
                        + "Services): outage tests need the embedded one; skip them with kafkaIsEmbedded()");
            }
            return Shared.kafka;
        }
    }

    /** One broker and one server per test JVM, stopped (and their folders removed) when it exits. */
    static final class Shared {
        private static EmbeddedKafka kafka;
        private static EmbeddedPostgresServer postgres;
        private static final java.util.Set<String> DATABASES = new java.util.HashSet<>();

        static synchronized EmbeddedKafka kafka() {
            if (kafka == null) {
                try {
                    kafka = EmbeddedKafka.start(0, null);
                } catch (Exception e) {
                    throw new IllegalStateException("starting the embedded Kafka broker failed", e);
                }
                EmbeddedKafka started = kafka;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-kafka-stop"));
            }
            return kafka;
        }

        static synchronized String postgres(String database) {
            try {
                if (postgres == null) {
                    postgres = EmbeddedPostgresServer.start(0, null, List.of(database));
                    EmbeddedPostgresServer started = postgres;
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            started.close();
                        } catch (Exception e) {
                            // the JVM is going away
                        }
                    }, "embedded-postgres-stop"));
                } else if (!DATABASES.contains(database)) {
                    postgres.createDatabase(database);
                }
                DATABASES.add(database);
                return postgres.url(database);
            } catch (Exception e) {
                throw new IllegalStateException("starting the embedded PostgreSQL failed", e);
            }
        }
    }
}
