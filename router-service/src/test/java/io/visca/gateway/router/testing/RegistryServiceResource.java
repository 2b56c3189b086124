package io.visca.gateway.router.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.infra.test.ServiceProcess;

/**
 * The router's tests run against the real registry: its packaged jar ({@code -Dregistry.jar}, built earlier in the
 * reactor) as a process of its own ({@link ServiceProcess}), on a real PostgreSQL and the same real Kafka broker the
 * router consumes, both with the same secrets key. One registry per test JVM, stopped when it exits. Tests create providers and
 * keys through its admin
 * API ({@link RegistryAdmin}), exactly as users do. Its outbound URL policy lets link-local and cloud metadata
 * addresses be saved (as a registry set up otherwise than the router, or a provider saved before the policy, would),
 * so that the router's own check at connect time is what the tests see.
 */
public class RegistryServiceResource implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_TOKEN = "router-tests-admin-token";
    public static final String SERVICE_TOKEN = "router-tests-service-token";
    /** The secrets key the registry encrypts provider secrets with, and the router (and monitor) opens them with. */
    public static final String SECRETS_KEY = Base64.getEncoder()
            .encodeToString("router-tests-secrets-key-32bytes".getBytes(StandardCharsets.US_ASCII));

    private static ServiceProcess registry;
    private static Map<String, String> database;

    @Override
    public Map<String, String> start() {
        String kafka = GatewayInfraResource.kafkaBootstrapServers();
        synchronized (RegistryServiceResource.class) {
            if (registry == null) {
                Map<String, String> db = GatewayInfraResource.database("registry");
                database = db;
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
                "router.registry.service-token", SERVICE_TOKEN, "router.secrets.key", SECRETS_KEY);
    }

    @Override
    public void stop() {
        // shared by the test classes of this JVM; stopped when it exits
    }

    /** The registry's base URL, e.g. {@code http://127.0.0.1:40123}. */
    public static synchronized String url() {
        return registry.url();
    }

    /** The registry's database ({@code url} as postgresql://host:port/db, {@code user}, {@code password}). */
    public static synchronized Map<String, String> database() {
        return database;
    }

    /** Stops the registry process (outage tests); {@link #restartRegistry()} brings it back at the same URL. */
    public static synchronized void stopRegistry() {
        registry.stop();
    }

    public static synchronized void restartRegistry() {
        registry.restart();
    }
}
