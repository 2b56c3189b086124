package io.visca.gateway.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.infra.test.RegistryAdminClient;
import io.visca.gateway.infra.test.ServiceProcess;

/**
 * The whole gateway as an operator runs it, started once per test JVM: a real Kafka broker and PostgreSQL
 * ({@code gateway-infra}'s embedded ones, or the environment's), the registry (which serves the dashboard), the
 * health monitor, billing and the router from their packaged jars ({@link ServiceProcess}), and a fake OpenAI
 * upstream that speaks the real wire format and accepts only {@link #UPSTREAM_KEY}. Everything stops when the JVM
 * exits.
 */
final class DashboardStack {

    static final String ADMIN_TOKEN = "dashboard-e2e-admin-token";
    static final String SERVICE_TOKEN = "dashboard-e2e-service-token";
    /** The key the registry encrypts literal provider secrets with, and the router and monitor open them with. */
    static final String SECRETS_KEY = Base64.getEncoder()
            .encodeToString("dashboard-e2e-secrets-key-32byte".getBytes(StandardCharsets.US_ASCII));
    /** The only bearer key the fake upstream accepts: any other gets OpenAI's 401 invalid_api_key. */
    static final String UPSTREAM_KEY = "sk-dashboard-e2e-upstream";
    /** The models the fake upstream lists and serves. */
    static final List<String> UPSTREAM_MODELS = List.of("dash-gpt", "dash-mini");
    /** What the fake upstream answers every chat with. */
    static final String UPSTREAM_REPLY = "Hello from the fake upstream";

    private static DashboardStack stack;

    final FakeOpenAiServer upstream;
    final ServiceProcess registry;
    final ServiceProcess healthMonitor;
    final ServiceProcess billing;
    final ServiceProcess router;
    final RegistryAdminClient admin;

    private DashboardStack() {
        upstream = FakeOpenAiServer.start().models(UPSTREAM_MODELS.toArray(String[]::new)).reply(UPSTREAM_REPLY)
                .requireApiKey(UPSTREAM_KEY);
        Runtime.getRuntime().addShutdownHook(new Thread(upstream::close, "fake-upstream-stop"));
        CompletableFuture<String> kafka = CompletableFuture.supplyAsync(GatewayInfraResource::kafkaBootstrapServers);
        Map<String, String> registryDb = GatewayInfraResource.database("registry");
        Map<String, String> billingDb = GatewayInfraResource.database("billing");
        String bootstrap = kafka.join();

        // The registry (the dashboard) calls the three others, which follow the registry: the registry's URL is
        // known once its ServiceProcess exists, and it reads theirs from a config file written before it starts.
        Path registryConfig = Path.of("target", "stack", "registry.properties").toAbsolutePath();
        registry = new ServiceProcess("registry", ServiceProcess.jar("registry.jar"),
                Map.of("DB_URL", registryDb.get("url"), "DB_USER", registryDb.get("user"), "DB_PASSWORD",
                        registryDb.get("password"), "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "GATEWAY_ADMIN_TOKEN",
                        ADMIN_TOKEN, "GATEWAY_SERVICE_TOKEN", SERVICE_TOKEN, "GATEWAY_SECRETS_KEY", SECRETS_KEY,
                        "PROVIDERS_DIR", "", "GATEWAY_MANAGED_PROVIDERS", "false"),
                jvm("-Dquarkus.config.locations=" + registryConfig.toUri()));
        Map<String, String> follower = Map.of("REGISTRY_URL", registry.url(), "GATEWAY_SERVICE_TOKEN", SERVICE_TOKEN,
                "GATEWAY_SECRETS_KEY", SECRETS_KEY, "KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        // a group of its own on the shared broker: no other stack's monitor holds shards of this one's endpoints
        Map<String, String> monitorEnv = new HashMap<>(follower);
        monitorEnv.put("HEALTH_SHARDS_GROUP", "health-monitor-" + UUID.randomUUID());
        healthMonitor = new ServiceProcess("health-monitor", ServiceProcess.jar("health-monitor.jar"), monitorEnv);
        // billing's quota store (/internal/quota) takes the service token: the routers lease limited keys' budgets
        // and rates from it, the registry reads the spend the keys and teams pages show
        billing = new ServiceProcess("billing", ServiceProcess.jar("billing.jar"),
                Map.of("DB_URL", billingDb.get("url"), "DB_USER", billingDb.get("user"), "DB_PASSWORD",
                        billingDb.get("password"), "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "GATEWAY_ADMIN_TOKEN",
                        ADMIN_TOKEN, "GATEWAY_SERVICE_TOKEN", SERVICE_TOKEN));
        Map<String, String> routerEnv = new HashMap<>(follower);
        routerEnv.put("ROUTER_USAGE_SPOOL_DIR",
                Path.of("target", "usage-spool", UUID.randomUUID().toString()).toAbsolutePath().toString());
        routerEnv.put("BILLING_URL", billing.url());
        router = new ServiceProcess("router", ServiceProcess.jar("router.jar"), routerEnv);
        // the names gateway.sh exports to every service
        writeConfig(registryConfig, Map.of("HEALTH_MONITOR_URL", healthMonitor.url(), "BILLING_URL", billing.url(),
                "ROUTER_URL", router.url()));

        // the router and the health monitor start from the registry's snapshot; billing needs nobody
        CompletableFuture<Void> billed = CompletableFuture.runAsync(billing::start);
        registry.start();
        CompletableFuture.allOf(billed, CompletableFuture.runAsync(healthMonitor::start),
                CompletableFuture.runAsync(router::start)).join();
        admin = new RegistryAdminClient(registry::url, ADMIN_TOKEN);
    }

    private static List<String> jvm(String... options) {
        List<String> all = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseParallelGC"));
        all.addAll(List.of(options));
        return all;
    }

    private static void writeConfig(Path file, Map<String, String> values) {
        Properties properties = new Properties();
        properties.putAll(values);
        try {
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                properties.store(out, "written by the dashboard's browser tests (DashboardStack)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + " failed", e);
        }
    }

    /**
     * Stops the four services together, before the JVM's exit stops the broker under them (which would leave them
     * retrying Kafka while they shut down).
     */
    static synchronized void stop() {
        if (stack != null) {
            CompletableFuture.allOf(CompletableFuture.runAsync(stack.router::stop),
                    CompletableFuture.runAsync(stack.healthMonitor::stop), CompletableFuture.runAsync(stack.billing::stop),
                    CompletableFuture.runAsync(stack.registry::stop)).join();
            stack = null;
        }
    }

    /** The stack, started on first use. */
    static synchronized DashboardStack get() {
        if (stack == null) {
            stack = new DashboardStack();
        }
        return stack;
    }
}
