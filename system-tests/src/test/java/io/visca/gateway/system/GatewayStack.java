package io.visca.gateway.system;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.infra.test.RegistryAdminClient;
import io.visca.gateway.infra.test.ServiceProcess;

/**
 * The registry, the health monitor and the router (and billing, {@link #withBilling}; several routers,
 * {@link #withBillingAndRouters}) as an operator runs them: packaged jars, each a process of its own configured only
 * by its environment, on a real Kafka broker and PostgreSQL ({@code gateway-infra}'s embedded
 * ones, or the environment's). Every service gets the same environment on top of its own settings (the way
 * {@code ./gateway.sh up} passes the operator's shell to all of them), so a test can put values there that a
 * provider config must never reach.
 */
final class GatewayStack implements AutoCloseable {

    /** Names this stack's monitors' probes: their user agent is {@code visca-health-monitor/<id>-<n>}. */
    final String id = UUID.randomUUID().toString().substring(0, 8);
    final String adminToken;
    final String serviceToken;
    final Map<String, String> registryDb;
    final ServiceProcess registry;
    final ServiceProcess healthMonitor;
    /** The first of {@link #routers}: the only one, unless the stack was made {@link #withBillingAndRouters}. */
    final ServiceProcess router;
    /**
     * Every router, each its own process on its own ports with its own usage spool, all with the same environment:
     * they follow the one registry and send usage to the one Kafka topic, as {@code ROUTER_REPLICAS} of
     * {@code ./gateway.sh up} or replicas behind a load balancer do.
     */
    final List<ServiceProcess> routers;
    /** Null unless the stack was made {@link #withBilling with billing}. */
    final ServiceProcess billing;
    /** Every registry, billing and health monitor instance (one of each unless {@link #scaledOut}). */
    final List<ServiceProcess> registries;
    final List<ServiceProcess> billings;
    final List<ServiceProcess> healthMonitors;
    final Map<String, String> billingDb;
    final RegistryAdminClient admin;

    /**
     * @param adminToken the admin API's bearer token
     * @param serviceToken the token the services use between themselves
     * @param shared environment variables every service gets (secrets a provider may or may not reference)
     */
    GatewayStack(String adminToken, String serviceToken, Map<String, String> shared) {
        this(adminToken, serviceToken, shared, false, 1);
    }

    /** As {@link #GatewayStack(String, String, Map)}, with the billing service on its own database too. */
    static GatewayStack withBilling(String adminToken, String serviceToken, Map<String, String> shared) {
        return new GatewayStack(adminToken, serviceToken, shared, true, 1);
    }

    /**
     * As {@link #withBilling}, with {@code routers} routers started in parallel ({@code router}, {@code router-2}, ...:
     * their logs are {@code target/router-2-process.log}, ...).
     */
    static GatewayStack withBillingAndRouters(int routers, String adminToken, String serviceToken,
            Map<String, String> shared) {
        if (routers < 1) {
            throw new IllegalArgumentException("a stack has at least one router, not " + routers);
        }
        return new GatewayStack(adminToken, serviceToken, shared, true, routers);
    }

    /**
     * Every service as several instances ({@code ROUTER_REPLICAS=.. BILLING_REPLICAS=.. ./gateway.sh up}): the
     * instances of a service share its database and Kafka consumer group; the other services call the first registry
     * and the first billing, as under {@code gateway.sh}. Instance n of a service is named {@code <service>-n}.
     */
    static GatewayStack scaledOut(int routers, int registries, int healthMonitors, int billings, String adminToken,
            String serviceToken, Map<String, String> shared) {
        return new GatewayStack(adminToken, serviceToken, shared, routers, registries, healthMonitors, billings);
    }

    private GatewayStack(String adminToken, String serviceToken, Map<String, String> shared, boolean withBilling,
            int routerCount) {
        this(adminToken, serviceToken, shared, routerCount, 1, 1, withBilling ? 1 : 0);
    }

    private GatewayStack(String adminToken, String serviceToken, Map<String, String> shared, int routerCount,
            int registryCount, int healthMonitorCount, int billingCount) {
        if (routerCount < 1 || registryCount < 1 || healthMonitorCount < 1 || billingCount < 0) {
            throw new IllegalArgumentException("a stack has at least one router, registry and health monitor");
        }
        boolean withBilling = billingCount > 0;
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
        // the stacks of a test JVM share its broker: each stack's health monitors share the probing among themselves
        // only (in the default group a long-lived stack's monitor would hold half the shards of every other stack)
        common.putIfAbsent("HEALTH_SHARDS_GROUP", "health-monitor-" + UUID.randomUUID());
        // every service sees the database password, as it would in a shared shell or a shared Kubernetes secret
        common.put("DB_PASSWORD", registryDb.get("password"));

        if (withBilling) {
            billingDb = withDistinctPassword(GatewayInfraResource.database("billing"));
            Map<String, String> billingEnv = new HashMap<>(common);
            billingEnv.putAll(Map.of("DB_URL", billingDb.get("url"), "DB_USER", billingDb.get("user"), "DB_PASSWORD",
                    billingDb.get("password")));
            billings = instances("billing", billingCount, "billing.jar", i -> billingEnv);
            billing = billings.get(0);
            // the registry reads budgets' spend from billing, the routers lease budgets and rates from it
            common.put("BILLING_URL", billing.url());
        } else {
            billingDb = null;
            billing = null;
            billings = List.of();
        }

        Map<String, String> registryEnv = new HashMap<>(common);
        registryEnv.putAll(Map.of("DB_URL", registryDb.get("url"), "DB_USER", registryDb.get("user"),
                "PROVIDERS_DIR", ""));
        // the built-in openai and anthropic only where a test brings its own catalogue (pointed at fakes)
        registryEnv.putIfAbsent("GATEWAY_MANAGED_PROVIDERS",
                shared.containsKey("GATEWAY_MANAGED_PROVIDERS_FILE") ? "true" : "false");
        registries = instances("registry", registryCount, "registry.jar", i -> registryEnv);
        registry = registries.get(0);
        Map<String, String> follower = new HashMap<>(common);
        follower.put("REGISTRY_URL", registry.url());
        // the stacks of a test JVM share one registry database, so every stack's monitors probe every stack's
        // endpoints: a user agent of their own tells this stack's probes apart at the fakes
        healthMonitors = instances("health-monitor", healthMonitorCount, "health-monitor.jar", i -> {
            Map<String, String> monitorEnv = new HashMap<>(follower);
            monitorEnv.put("HEALTH_PROBE_USER_AGENT", "visca-health-monitor/" + id + "-" + i);
            return monitorEnv;
        });
        healthMonitor = healthMonitors.get(0);
        routers = instances("router", routerCount, "router.jar", i -> {
            Map<String, String> routerEnv = new HashMap<>(follower);
            // the spool locks its folder: one per router
            routerEnv.put("ROUTER_USAGE_SPOOL_DIR",
                    Path.of("target", "usage-spool", UUID.randomUUID().toString()).toAbsolutePath().toString());
            return routerEnv;
        });
        router = routers.get(0);

        registry.start(); // it migrates the database first
        List<Runnable> starting = new ArrayList<>();
        registries.stream().skip(1).forEach(r -> starting.add(r::start));
        healthMonitors.forEach(h -> starting.add(h::start));
        routers.forEach(r -> starting.add(r::start));
        billings.forEach(b -> starting.add(b::start));
        inParallel(starting);
        admin = new RegistryAdminClient(registry::url, adminToken);
    }

    /** {@code count} processes of a service: the first named as the service, the others {@code <service>-n}. */
    private static List<ServiceProcess> instances(String service, int count, String jar,
            java.util.function.IntFunction<Map<String, String>> environment) {
        List<ServiceProcess> made = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            made.add(new ServiceProcess(i == 1 ? service : service + "-" + i, ServiceProcess.jar(jar),
                    environment.apply(i)));
        }
        return List.copyOf(made);
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

    /**
     * Runs the tasks each on a thread of its own and waits for all: the common pool runs only as many at once as
     * the machine has cores less one (on two cores, one thread per task anyway; on four, three).
     */
    private static void inParallel(List<Runnable> tasks) {
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
        try {
            CompletableFuture.allOf(tasks.stream().map(task -> CompletableFuture.runAsync(task, threads))
                    .toArray(CompletableFuture[]::new)).join();
        } finally {
            threads.shutdown();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() {
        List<Runnable> stopping = new ArrayList<>();
        routers.forEach(r -> stopping.add(r::stop));
        healthMonitors.forEach(h -> stopping.add(h::stop));
        billings.forEach(b -> stopping.add(b::stop));
        registries.stream().skip(1).forEach(r -> stopping.add(r::stop));
        inParallel(stopping);
        registry.stop();
    }
}
