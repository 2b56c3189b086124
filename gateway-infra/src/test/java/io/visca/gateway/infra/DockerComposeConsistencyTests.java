package io.visca.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks what can be checked without one: each
 * service is built from an existing Dockerfile of its module, and the port it publishes, the Dockerfile's EXPOSE and
 * the service's {@code quarkus.http.port} agree; the health check asks the management port
 * ({@code quarkus.management.port}, the same variable and default), which compose does not publish; every environment
 * variable a service needs (a {@code ${NAME}} without default in its application.properties) is set; every variable
 * compose sets is read by that service; and the database password has no default.
 */
class DockerComposeConsistencyTests {

    private static final Path ROOT = ServiceModule.ROOT;

    @ParameterizedTest
    @CsvSource({ "provider-registry,provider-registry-service", "router,router-service",
            "health-monitor,health-monitor-service", "billing,billing-service" })
    void serviceIsBuiltFromItsModuleAndPublishesItsPort(String service, String module) throws IOException {
        ServiceModule code = ServiceModule.named(service);
        assertEquals(module, code.module());
        Map<String, Object> spec = service(service);
        @SuppressWarnings("unchecked")
        Map<String, Object> build = (Map<String, Object>) spec.get("build");
        Path dockerfile = ROOT.resolve((String) build.get("dockerfile"));
        assertEquals(code.dockerfile(), dockerfile);
        assertTrue(Files.isRegularFile(dockerfile), dockerfile + " is missing");
        String docker = Files.readString(dockerfile);
        assertTrue(docker.contains("-pl " + module + " "), "the Dockerfile builds another module");

        String port = String.valueOf(code.httpPort());
        @SuppressWarnings("unchecked")
        List<String> ports = (List<String>) spec.get("ports");
        assertEquals(List.of(port + ":" + port), ports, "published port");
        assertTrue(docker.contains("EXPOSE " + port + "\n"), "EXPOSE " + port);
        String management = String.valueOf(code.managementPortDefault());
        assertTrue(docker.contains("http://127.0.0.1:${" + code.managementPortVariable() + ":-" + management
                + "}/q/health/ready"), "the health check asks the management port");
        assertTrue(ports.stream().noneMatch(p -> p.contains(management)), "the management port is private");
        assertTrue(String.valueOf(spec.get("depends_on")).contains("condition=service_healthy"),
                "depends_on waits for health");
    }

    @ParameterizedTest
    @CsvSource({ "provider-registry,provider-registry-service", "router,router-service",
            "health-monitor,health-monitor-service", "billing,billing-service" })
    void environmentMatchesWhatTheServiceReads(String service, String module) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) service(service).get("environment");
        ServiceModule code = ServiceModule.named(service);

        List<String> missing = code.requiredVariables().stream().filter(v -> !env.containsKey(v)).toList();
        assertEquals(List.of(), missing, "variables " + service + " needs but compose does not set");

        Set<String> read = code.variables().keySet();
        List<String> unread = env.keySet().stream()
                .filter(k -> !read.contains(k) && !ServiceModule.PROVIDER_SECRETS.contains(k)).sorted().toList();
        assertEquals(List.of(), unread, "variables compose sets for " + service + " that it never reads");
    }

    /** Compose refuses to start without a database password rather than using a well-known one. */
    @ParameterizedTest
    @CsvSource({ "postgres,POSTGRES_PASSWORD", "provider-registry,DB_PASSWORD", "billing,DB_PASSWORD" })
    @SuppressWarnings("unchecked")
    void databasePasswordHasNoDefault(String service, String variable) throws IOException {
        Object value = ((Map<String, Object>) service(service).get("environment")).get(variable);
        assertEquals("${DB_PASSWORD:?set DB_PASSWORD}", value, service + " " + variable);
    }

    /** The router's usage spool outlives its container, and the image lets the router's user write there. */
    @Test
    @SuppressWarnings("unchecked")
    void routerUsageSpoolIsOnANamedVolume() throws IOException {
        Map<String, Object> router = service("router");
        String dir = String.valueOf(((Map<String, Object>) router.get("environment")).get("ROUTER_USAGE_SPOOL_DIR"));
        assertTrue(dir.startsWith("/"), "ROUTER_USAGE_SPOOL_DIR is set to an absolute path: " + dir);
        List<String> mounts = (List<String>) router.get("volumes");
        String mount = mounts == null ? null
                : mounts.stream().filter(m -> m.endsWith(":" + dir)).findFirst().orElse(null);
        assertTrue(mount != null, "a volume is mounted at " + dir + ": " + mounts);
        String volume = mount.substring(0, mount.indexOf(':'));
        assertTrue(((Map<String, Object>) compose().get("volumes")).containsKey(volume), volume + " is a named volume");
        String docker = Files.readString(ROOT.resolve("router-service/src/main/docker/Dockerfile"));
        assertTrue(docker.contains("mkdir -p " + dir) && docker.contains("chown -R 1001"),
                "the image creates " + dir + " for user 1001");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws IOException {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        assertTrue(services.containsKey(name), "compose has no service " + name);
        return (Map<String, Object>) services.get(name);
    }

    private static Map<String, Object> compose() throws IOException {
        try (Reader r = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(100);
            return new Yaml(options).load(r);
        }
    }
}
