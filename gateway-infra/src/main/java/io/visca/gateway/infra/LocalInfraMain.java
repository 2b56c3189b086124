package io.visca.gateway.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded Kafka broker and/or PostgreSQL for {@code ./gateway.sh up} in a JVM of their own, until
 * SIGTERM. Prints one line {@code READY kafka=<bootstrap> postgres=<port>} once both serve.
 *
 * <pre>
 * java -cp ... io.visca.gateway.infra.LocalInfraMain --state-dir .gateway [--kafka-port 9092] [--postgres-port 5432]
 *      [--no-kafka] [--no-postgres] [--databases registry,billing]
 * </pre>
 */
public final class LocalInfraMain {

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(".gateway");
        int kafkaPort = 9092;
        int postgresPort = 5432;
        boolean kafka = true;
        boolean postgres = true;
        List<String> databases = List.of("registry", "billing");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--state-dir" -> stateDir = Path.of(args[++i]);
                case "--kafka-port" -> kafkaPort = Integer.parseInt(args[++i]);
                case "--postgres-port" -> postgresPort = Integer.parseInt(args[++i]);
                case "--no-kafka" -> kafka = false;
                case "--no-postgres" -> postgres = false;
                case "--databases" -> databases = Arrays.asList(args[++i].split(","));
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        Files.createDirectories(stateDir);
        List<AutoCloseable> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception e) {
                    System.err.println("stopping " + started.get(i).getClass().getSimpleName() + ": " + e);
                }
            }
        }, "infra-shutdown"));

        StringBuilder ready = new StringBuilder("READY");
        if (postgres) {
            EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(postgresPort, stateDir.resolve("postgres"),
                    databases);
            started.add(pg);
            ready.append(" postgres=").append(pg.port());
        }
        if (kafka) {
            EmbeddedKafka broker = EmbeddedKafka.start(kafkaPort, stateDir.resolve("kafka"));
            started.add(broker);
            ready.append(" kafka=").append(broker.bootstrapServers());
        }
        System.out.println(ready);
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private LocalInfraMain() {
    }
}
