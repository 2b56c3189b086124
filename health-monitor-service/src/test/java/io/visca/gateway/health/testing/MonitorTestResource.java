package io.visca.gateway.health.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.visca.gateway.contracts.event.Topics;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.infra.test.ServiceProcess;

/**
 * What the monitor runs against in its tests: the real registry from its packaged jar ({@code -Dregistry.jar}) as a
 * process of its own ({@link ServiceProcess}), on a real PostgreSQL and the same real Kafka broker the monitor uses
 * (both with the same secrets key),
 * and a {@link WebhookReceiver} as the alert webhook. The registry lets link-local and cloud metadata addresses be saved
 * (as one set up otherwise than the monitor would), so that the monitor's own check at connect time is under test. Before the
 * monitor starts, a status of an endpoint that no
 * longer exists ({@link #GHOST_KEY}) is put on {@code provider-health-changed}, as an earlier run would have left it.
 */
public class MonitorTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_TOKEN = "health-tests-admin-token";
    public static final String SERVICE_TOKEN = "health-tests-service-token";
    public static final String GHOST_KEY = "hm-ghost/ghost.example.com";
    /** The secrets key the registry encrypts provider secrets with, and the monitor opens them with. */
    public static final String SECRETS_KEY = Base64.getEncoder()
            .encodeToString("health-tests-secrets-key-32bytes".getBytes(StandardCharsets.US_ASCII));

    private static ServiceProcess registry;
    private static Map<String, String> database;

    @Override
    public Map<String, String> start() {
        String kafka = GatewayInfraResource.kafkaBootstrapServers();
        Map<String, String> db = GatewayInfraResource.database("registry");
        database = db;
        leaveGhost(kafka);
        synchronized (MonitorTestResource.class) {
            if (registry == null) {
                registry = new ServiceProcess("registry", ServiceProcess.jar("registry.jar"),
                        ServiceProcess.environment("DB_URL", db.get("url"), "DB_USER", db.get("user"), "DB_PASSWORD",
                                db.get("password"),
                                "KAFKA_BOOTSTRAP_SERVERS", kafka, "GATEWAY_ADMIN_TOKEN", ADMIN_TOKEN,
                                "GATEWAY_SERVICE_TOKEN", SERVICE_TOKEN, "GATEWAY_SECRETS_KEY", SECRETS_KEY,
                                "PROVIDERS_DIR", "", "GATEWAY_OUTBOUND_LINK_LOCAL", "allow",
                                "GATEWAY_OUTBOUND_METADATA", "allow", "GATEWAY_MANAGED_PROVIDERS", "false"));
            }
            registry.start();
        }
        return Map.of("kafka.bootstrap.servers", kafka, "quarkus.rest-client.registry.url", registry.url(),
                "health.service-token", SERVICE_TOKEN, "health.admin-token", ADMIN_TOKEN, "health.secrets.key",
                SECRETS_KEY, "health.alert.webhook-url",
                WebhookReceiver.get().url() + "/hooks/health?token=hook-secret");
    }

    @Override
    public void stop() {
        // shared by the test classes of this JVM; the registry stops when it exits
    }

    /** The registry's database ({@code url} as postgresql://host:port/db, {@code user}, {@code password}). */
    public static synchronized Map<String, String> database() {
        return database;
    }

    public static synchronized ServiceProcess registry() {
        return registry;
    }

    private static void leaveGhost(String kafka) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG,
                "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.PROVIDER_HEALTH_CHANGED, GHOST_KEY,
                    "{\"schema_version\":1,\"provider\":\"hm-ghost\",\"endpoint\":\"ghost.example.com\","
                            + "\"status\":\"DOWN\"}"))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("writing the ghost status failed", e);
        }
    }
}
