package io.visca.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's own code says about how it must be run, read from its module: its ports, the environment variables
 * its application.properties reads ({@code ${NAME}} and {@code ${NAME:default}}), its Dockerfile. The deployment
 * descriptions (docker-compose.yml, deploy/kubernetes) are checked against this, so that a setting renamed in the code
 * cannot be left behind in them.
 *
 * @param name the service's name in docker-compose.yml and in the Kubernetes manifests
 * @param module its Maven module
 */
record ServiceModule(String name, String module) {

    /** The repository root (the tests run in gateway-infra). */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static final List<ServiceModule> ALL = List.of(new ServiceModule("provider-registry", "provider-registry-service"),
            new ServiceModule("router", "router-service"), new ServiceModule("health-monitor", "health-monitor-service"),
            new ServiceModule("billing", "billing-service"));

    /**
     * Read by name at call time when a provider config references them ({@code ${OPENAI_API_KEY}}), not through
     * Quarkus config: the names docker-compose.yml passes on and the examples use.
     */
    static final Set<String> PROVIDER_SECRETS = Set.of("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "LLAMA_API_KEY",
            "TGI_TOKEN", "LEGACY_USER", "LEGACY_PASSWORD", "CORP_CLIENT_ID", "CORP_CLIENT_SECRET");

    private static final Pattern ANY_ENV = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    /** {@code ${ROUTER_MANAGEMENT_PORT:9080}}: the variable and the default port. */
    private static final Pattern PORT_WITH_DEFAULT = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):(\\d+)}");

    static ServiceModule named(String name) {
        return ALL.stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /** The text of its application.properties. */
    String config() {
        try {
            return Files.readString(ROOT.resolve(module + "/src/main/resources/application.properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Properties properties() {
        Properties p = new Properties();
        try (Reader r = new StringReader(config())) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** {@code quarkus.http.port}: the API's port. */
    int httpPort() {
        return Integer.parseInt(properties().getProperty("quarkus.http.port"));
    }

    /** The variable that moves the management port ({@code ROUTER_MANAGEMENT_PORT}). */
    String managementPortVariable() {
        return managementPort().group(1);
    }

    /** The management port when that variable is not set. */
    int managementPortDefault() {
        return Integer.parseInt(managementPort().group(2));
    }

    private Matcher managementPort() {
        Matcher m = PORT_WITH_DEFAULT.matcher(properties().getProperty("quarkus.management.port", ""));
        assertTrue(m.matches(), module + ": quarkus.management.port is ${NAME:port}");
        return m;
    }

    /**
     * Every variable it reads, with its default: the first one written, {@code null} when some use has none (in any
     * profile: then the service cannot start without it outside the profiles that give one).
     */
    Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher m = ANY_ENV.matcher(config());
        while (m.find()) {
            variables.putIfAbsent(m.group(1), m.group(2));
        }
        requiredVariables().forEach(name -> variables.put(name, null));
        return variables;
    }

    /** The variables it cannot start without ({@code ${NAME}} without default). */
    Set<String> requiredVariables() {
        Set<String> required = new TreeSet<>();
        Matcher m = ANY_ENV.matcher(config());
        while (m.find()) {
            if (m.group(2) == null) {
                required.add(m.group(1));
            }
        }
        return required;
    }

    Path dockerfile() {
        return ROOT.resolve(module + "/src/main/docker/Dockerfile");
    }

    String pom() {
        try {
            return Files.readString(ROOT.resolve(module + "/pom.xml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
