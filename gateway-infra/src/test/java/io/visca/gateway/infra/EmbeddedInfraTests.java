package io.visca.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedInfraTests {

    @Test
    void brokerServesACompactedTopicToAnIdempotentProducerAndAConsumerGroup() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, null)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("health", 1, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")))).all().get();
            }
            Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            p.put("acks", "all");
            p.put("enable.idempotence", "true");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("health", "p/e1", "DOWN")).get();
                producer.send(new ProducerRecord<>("health", "p/e1", "UP")).get();
            }
            Properties c = new Properties();
            c.put("bootstrap.servers", kafka.bootstrapServers());
            c.put("group.id", "test");
            c.put("auto.offset.reset", "earliest");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("health"));
                List<String> values = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.size() < 2 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.key() + "=" + r.value());
                    }
                }
                assertEquals(List.of("p/e1=DOWN", "p/e1=UP"), values);
            }
        }
    }

    @Test
    void brokerRestartsOnItsKeptLogDirWithItsRecords(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir)) {
            send(kafka, "kept", "v1");
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir)) {
            assertEquals(List.of("v1"), consume(kafka, "kept", 1));
        }
    }

    @Test
    void stoppedBrokerComesBackAtTheSameAddressWithItsRecords() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, null)) {
            String address = kafka.bootstrapServers();
            send(kafka, "outage", "before");
            kafka.stop();
            kafka.restart();
            assertEquals(address, kafka.bootstrapServers());
            send(kafka, "outage", "after");
            assertEquals(List.of("before", "after"), consume(kafka, "outage", 2));
        }
    }

    private static void send(EmbeddedKafka kafka, String topic, String value) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
        }
    }

    private static List<String> consume(EmbeddedKafka kafka, String topic, int count) {
        Properties c = new Properties();
        c.put("bootstrap.servers", kafka.bootstrapServers());
        c.put("group.id", "reader-" + System.nanoTime());
        c.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }

    @Test
    void postgresCreatesDatabasesAndKeepsDataAcrossRestarts(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(0, data, List.of("registry", "billing"))) {
            try (Connection c = DriverManager.getConnection("jdbc:" + pg.url("billing"), "postgres", "postgres");
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE ledger (id text PRIMARY KEY)");
                s.execute("INSERT INTO ledger VALUES ('r1')");
            }
        }
        assertFalse(Files.exists(data.resolve("postmaster.pid")), "server stopped on close");
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(0, data, List.of("registry", "billing"));
                Connection c = DriverManager.getConnection("jdbc:" + pg.url("billing"), "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM ledger")) {
            assertTrue(rs.next());
            assertEquals("r1", rs.getString(1));
        }
    }
}
