package io.visca.gateway.router.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.visca.gateway.infra.Ports;
import io.visca.gateway.infra.test.GatewayInfraResource;

/**
 * The router's tests run against the real registry: its packaged jar ({@code -Dregistry.jar}, built earlier in the
 * reactor) as a process of its own, on a real PostgreSQL and the same real Kafka broker the router consumes. One
 * registry per test JVM, stopped when it exits. Tests create providers and keys through its admin API
 * ({@link RegistryAdmin}), exactly as users do.
 */
public class RegistryServiceResource implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_TOKEN = "router-tests-admin-token";
    public static final String SERVICE_TOKEN = "router-tests-service-token";

    private static Process process;
    private static String url;
    private static Map<String, String> environment;

    @Override
    public Map<String, String> start() {
        String kafka = GatewayInfraResource.kafkaBootstrapServers();
        startRegistry(kafka);
        return Map.of("kafka.bootstrap.servers", kafka, "quarkus.rest-client.registry.url", url,
                "router.registry.service-token", SERVICE_TOKEN);
    }

    @Override
    public void stop() {
        // shared by the test classes of this JVM; stopped when it exits
    }

    /** The registry's base URL, e.g. {@code http://127.0.0.1:40123}. */
    public static synchronized String url() {
        return url;
    }

    private static synchronized void startRegistry(String kafka) {
        if (process != null && process.isAlive()) {
            return;
        }
        if (environment == null) {
            Map<String, String> db = GatewayInfraResource.database("registry");
            int port = Ports.free();
            url = "http://127.0.0.1:" + port;
            environment = Map.of("DB_URL", db.get("url"), "DB_USER", db.get("user"), "DB_PASSWORD",
                    db.get("password"), "KAFKA_BOOTSTRAP_SERVERS", kafka, "GATEWAY_ADMIN_TOKEN", ADMIN_TOKEN,
                    "GATEWAY_SERVICE_TOKEN", SERVICE_TOKEN, "QUARKUS_HTTP_PORT", Integer.toString(port),
                    "PROVIDERS_DIR", "");
            Runtime.getRuntime().addShutdownHook(new Thread(RegistryServiceResource::stopRegistry, "registry-stop"));
        }
        launch();
    }

    /** Stops the registry process (outage tests); {@link #restartRegistry()} brings it back at the same URL. */
    public static synchronized void stopRegistry() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public static synchronized void restartRegistry() {
        stopRegistry();
        launch();
    }

    private static void launch() {
        String jar = System.getProperty("registry.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("the router's tests run the registry from its packaged jar, not found at "
                    + jar + ": build it first (./mvnw verify builds the modules in order, or ./mvnw -pl "
                    + "provider-registry-service -am package -DskipTests)");
        }
        Path log = Path.of("target", "registry-process.log").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:+UseParallelGC", "-jar", jar));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("starting the registry process failed", e);
        }
        awaitReady(log);
    }

    private static void awaitReady(Path log) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the registry process exited with " + process.exitValue()
                        + "; see " + log);
            }
            try {
                HttpResponse<Void> ready = client.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the registry", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the registry", e);
            }
        }
        throw new IllegalStateException("the registry was not ready within 90 s; see " + log);
    }
}
