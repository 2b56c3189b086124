package io.visca.gateway.system;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.infra.test.RegistryAdminClient;
import io.visca.gateway.infra.test.ServiceProcess;

/**
 * The registry, the health monitor and the router (and billing, {@link #withBilling}) as an operator runs them: packaged jars,
 * each a process of its
 * own configured only by its environment, on a real Kafka broker and PostgreSQL ({@code gateway-infra}'s embedded
 * ones, or the environment's). Every service gets the same environment on top of its own settings (the way
 * {@code ./gateway.sh up} passes the operator's shell to all of them), so a test can put values there that a
 * provider config must never reach.
 */
final class GatewayStack implements AutoCloseable {

    final String adminToken;
    final String serviceToken;
    final Map<String, String> registryDb;
    final ServiceProcess registry;
    final ServiceProcess healthMonitor;
    final ServiceProcess router;
    /** Null unless the stack was made {@link #withBilling with billing}. */
    final ServiceProcess billing;
    final Map<String, String> billingDb;
    final RegistryAdminClient admin;

    /**
     * @param adminToken the admin API's bearer token
     * @param serviceToken the token the services use between themselves
     * @param shared environment variables every service gets (secrets a provider may or may not reference)
     */
    GatewayStack(String adminToken, String serviceToken, Map<String, String> shared) {
        this(adminToken, serviceToken, shared, false);
    }

    /** As {@link #GatewayStack(String, String, Map)}, with the billing service on its own database too. */
    static GatewayStack withBilling(String adminToken, String serviceToken, Map<String, String> shared) {
        return new GatewayStack(adminToken, serviceToken, shared, true);
    }

    private GatewayStack(String adminToken, String serviceToken, Map<String, String> shared, boolean withBilling) {
        this.adminToken = adminToken;
        this.serviceToken = serviceToken;
        CompletableFuture<String> kafka = CompletableFuture.supplyAsync(GatewayInfraResource::kafkaBootstrapServers);
        registryDb = withDistinctPassword(GatewayInfraResource.database("registry"));
        String bootstrap = kafka.join();
        String secretsKey = Base64.getEncoder().encodeToString(randomBytes(32));

        Map<String, String> common = new HashMap<>(shared);
        common.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        common.put("GATEWAY_SERVICE_TOKEN", serviceToken);
        common.put("GATEWAY_ADMIN_TOKEN", adminToken);
        common.put("GATEWAY_SECRETS_KEY", secretsKey);
        // every service sees the database password, as it would in a shared shell or a shared Kubernetes secret
        common.put("DB_PASSWORD", registryDb.get("password"));

        Map<String, String> registryEnv = new HashMap<>(common);
        registryEnv.putAll(Map.of("DB_URL", registryDb.get("url"), "DB_USER", registryDb.get("user"),
                "PROVIDERS_DIR", ""));
        // the built-in openai and anthropic only where a test brings its own catalogue (pointed at fakes)
        registryEnv.putIfAbsent("GATEWAY_MANAGED_PROVIDERS",
                shared.containsKey("GATEWAY_MANAGED_PROVIDERS_FILE") ? "true" : "false");
        registry = new ServiceProcess("registry", ServiceProcess.jar("registry.jar"), registryEnv);
        Map<String, String> follower = new HashMap<>(common);
        follower.put("REGISTRY_URL", registry.url());
        healthMonitor = new ServiceProcess("health-monitor", ServiceProcess.jar("health-monitor.jar"), follower);
        Map<String, String> routerEnv = new HashMap<>(follower);
        routerEnv.put("ROUTER_USAGE_SPOOL_DIR",
                Path.of("target", "usage-spool", UUID.randomUUID().toString()).toAbsolutePath().toString());
        router = new ServiceProcess("router", ServiceProcess.jar("router.jar"), routerEnv);
        if (withBilling) {
            billingDb = withDistinctPassword(GatewayInfraResource.database("billing"));
            Map<String, String> billingEnv = new HashMap<>(common);
            billingEnv.putAll(Map.of("DB_URL", billingDb.get("url"), "DB_USER", billingDb.get("user"), "DB_PASSWORD",
                    billingDb.get("password")));
            billing = new ServiceProcess("billing", ServiceProcess.jar("billing.jar"), billingEnv);
        } else {
            billingDb = null;
            billing = null;
        }

        registry.start();
        CompletableFuture.allOf(CompletableFuture.runAsync(healthMonitor::start),
                CompletableFuture.runAsync(router::start),
                CompletableFuture.runAsync(() -> {
                    if (billing != null) {
                        billing.start();
                    }
                })).join();
        admin = new RegistryAdminClient(registry::url, adminToken);
    }

    /** The values no provider config may ever make a service send anywhere. */
    List<String> gatewayCredentials() {
        return List.of(serviceToken, adminToken, registryDb.get("password"));
    }

    /**
     * The embedded PostgreSQL trusts every password: give it one that cannot appear by chance in a request. A
     * database from the environment keeps its real one.
     */
    private static Map<String, String> withDistinctPassword(Map<String, String> database) {
        if (System.getenv("DB_URL") != null && !System.getenv("DB_URL").isBlank()) {
            return database;
        }
        Map<String, String> copy = new HashMap<>(database);
        copy.put("password", "db-password-" + UUID.randomUUID());
        return Map.copyOf(copy);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() {
        CompletableFuture.allOf(CompletableFuture.runAsync(router::stop),
                CompletableFuture.runAsync(healthMonitor::stop), CompletableFuture.runAsync(() -> {
                    if (billing != null) {
                        billing.stop();
                    }
                })).join();
        registry.stop();
    }
}
