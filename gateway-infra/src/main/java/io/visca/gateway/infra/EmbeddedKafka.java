package io.visca.gateway.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node Apache Kafka broker (KRaft: broker and controller in one process), running in this JVM.
 * Ready in about two seconds. Used where no Docker engine and no external broker are available.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final Path logDir;
    private final boolean deleteOnClose;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path logDir, boolean deleteOnClose, int port, int controllerPort) {
        this.logDir = logDir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Starts a broker.
     *
     * @param port client port on 127.0.0.1, 0 for a free one
     * @param logDir where the log lives; null for a fresh temporary folder deleted on {@link #close()}
     */
    public static EmbeddedKafka start(int port, Path logDir) throws IOException {
        // A broker fault must not end the JVM it shares with the application or the tests.
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("embedded Kafka asked to exit(" + status + "): " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("embedded Kafka asked to halt(" + status + "): " + message);
        });
        boolean temporary = logDir == null;
        Path dir = temporary ? Files.createTempDirectory("visca-kafka-") : logDir;
        Files.createDirectories(dir);
        int clientPort = port == 0 ? Ports.free() : port;
        int controllerPort = Ports.free();
        EmbeddedKafka kafka = new EmbeddedKafka(dir, temporary, clientPort, controllerPort);
        kafka.server = startServer(dir, clientPort, controllerPort);
        return kafka;
    }

    /** Stops the broker but keeps its log: for outage tests, which {@link #restart()} it on the same port. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts a {@link #stop() stopped} broker again on the same ports and log, with every record it had. */
    public synchronized void restart() throws IOException {
        if (server == null) {
            server = startServer(logDir, port, controllerPort);
        }
    }

    private static KafkaRaftServer startServer(Path dir, int clientPort, int controllerPort) throws IOException {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("log.dirs", dir.resolve("data").toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "true");
        props.put("num.partitions", "1");

        Path config = dir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(w, "embedded Kafka");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] { "format", "-t", clusterId(dir), "-c", config.toString(),
                "--ignore-formatted" }, new PrintStream(out, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException("formatting the Kafka log dir failed (" + rc + "): " + out);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        return server;
    }

    /** The id the log dir was formatted with: kept next to it, since a kept log dir only serves its own cluster. */
    private static String clusterId(Path dir) throws IOException {
        Path file = dir.resolve("cluster.id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String id = randomClusterId();
        Files.writeString(file, id, StandardCharsets.UTF_8);
        return id;
    }

    /**
     * Kafka's own generator: a base64url id that never starts with '-', which the storage tool's argument parser would
     * take for an option (1 start in 64 failed with "argument --cluster-id/-t: expected one argument").
     */
    private static String randomClusterId() {
        return Uuid.randomUuid().toString();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
        if (deleteOnClose) {
            deleteRecursively(logDir);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp folder is not worth failing a shutdown
        }
    }
}
