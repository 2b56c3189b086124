package io.visca.gateway.infra;

import static io.visca.gateway.infra.KubernetesManifests.container;
import static io.visca.gateway.infra.KubernetesManifests.environment;
import static io.visca.gateway.infra.KubernetesManifests.named;
import static io.visca.gateway.infra.KubernetesManifests.podTemplate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

/**
 * The Kubernetes base (deploy/kubernetes/base) checked against each service's code, as
 * {@link DockerComposeConsistencyTests} does for compose: the image of its module, its API and management ports, probes
 * on the paths SmallRye Health serves, every variable it needs set (or left at a default that works in a cluster),
 * every variable set read by it, secrets as files where the service reads files, and containers that run as the
 * image's non-root user on a read-only root filesystem, writing only to volumes.
 */
class KubernetesManifestTests {

    private static final List<HasMetadata> BASE = KubernetesManifests.base();
    /** The paths quarkus-smallrye-health serves under the management root (/q): startup, readiness, liveness. */
    private static final String STARTED = "/q/health/started", READY = "/q/health/ready", LIVE = "/q/health/live";
    /** A setting that holds a credential (whatever the file of a non-secret setting, it may be set as a value). */
    private static final Pattern CREDENTIAL = Pattern.compile("KEY|TOKEN|SECRET|PASSWORD");
    private static final Pattern DOCKER_USER = Pattern.compile("(?m)^USER (\\d+)$");

    static Stream<ServiceModule> services() {
        return ServiceModule.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("services")
    void runsItsModulesImageOnItsPorts(ServiceModule service) throws IOException {
        Container container = container(BASE, service.name());
        assertEquals("ghcr.io/visca/" + service.module() + ":" + projectVersion(), container.getImage(), "image");
        assertTrue(Files.isRegularFile(service.dockerfile()), "the image is built from " + service.dockerfile());
        assertEquals(service.httpPort(), port(container, "http"), "the API port is quarkus.http.port");
        assertEquals(service.managementPortDefault(), port(container, "management"),
                "the management port is quarkus.management.port's default");
        assertEquals(2, container.getPorts().size(), "ports: http and management");

        Service api = named(BASE, Service.class, service.name());
        assertEquals(podTemplate(BASE, service.name()).getMetadata().getLabels().get("app.kubernetes.io/name"),
                api.getSpec().getSelector().get("app.kubernetes.io/name"), "the Service selects the pods");
        List<ServicePort> ports = api.getSpec().getPorts();
        assertEquals(1, ports.size(), "the Service publishes the API port only, never the management port");
        assertEquals(service.httpPort(), ports.get(0).getPort());
        assertEquals(new IntOrString("http"), ports.get(0).getTargetPort());

        Map<String, String> annotations = podTemplate(BASE, service.name()).getMetadata().getAnnotations();
        assertEquals(String.valueOf(service.managementPortDefault()), annotations.get("prometheus.io/port"),
                "Prometheus scrapes the management port");
        assertEquals("/q/metrics", annotations.get("prometheus.io/path"));
    }

    @ParameterizedTest
    @MethodSource("services")
    void probesAskSmallRyeHealthOnTheManagementPort(ServiceModule service) {
        assertTrue(service.pom().contains("<artifactId>quarkus-smallrye-health</artifactId>"),
                service.module() + " serves /q/health (quarkus-smallrye-health)");
        assertTrue(service.properties().stringPropertyNames().stream()
                .noneMatch(p -> p.startsWith("quarkus.smallrye-health.") || p.endsWith("non-application-root-path")
                        || p.startsWith("quarkus.management.root-path")),
                service.module() + " keeps the health paths where SmallRye Health puts them");
        Container container = container(BASE, service.name());
        assertProbe(container, container.getStartupProbe(), STARTED, "startup");
        assertProbe(container, container.getReadinessProbe(), READY, "readiness");
        assertProbe(container, container.getLivenessProbe(), LIVE, "liveness");
    }

    private static void assertProbe(Container container, Probe probe, String path, String which) {
        assertNotNull(probe, container.getName() + " has a " + which + " probe");
        assertNotNull(probe.getHttpGet(), which + " probe asks over HTTP");
        assertEquals(path, probe.getHttpGet().getPath(), which + " probe path");
        IntOrString port = probe.getHttpGet().getPort();
        int number = port.getIntVal() != null ? port.getIntVal() : port(container, port.getStrVal());
        assertEquals(port(container, "management"), number, which + " probe asks the management port");
    }

    /**
     * Every variable the service needs (no default) is set, and so is every one whose default points at the machine
     * itself (127.0.0.1: Kafka, PostgreSQL, the other services), which is nobody in a pod. The others keep their
     * defaults (the README lists them). Every variable set is one the service reads.
     */
    @ParameterizedTest
    @MethodSource("services")
    void environmentMatchesWhatTheServiceReads(ServiceModule service) {
        Map<String, String> env = environment(BASE, container(BASE, service.name()));
        Map<String, String> read = service.variables();
        List<String> missing = read.entrySet().stream()
                .filter(v -> v.getValue() == null || v.getValue().contains("127.0.0.1")
                        || v.getValue().contains("localhost"))
                .map(Map.Entry::getKey).filter(v -> !env.containsKey(v)).sorted().toList();
        assertEquals(List.of(), missing, service.name() + " needs these (or has a default that is no one in a pod)");
        List<String> unread = env.keySet().stream().filter(v -> !read.containsKey(v)).sorted().toList();
        assertEquals(List.of(), unread, "variables set for " + service.name() + " that it never reads");
        env.forEach((name, value) -> assertFalse(value.contains("127.0.0.1") || value.contains("localhost"),
                name + " points at the pod itself: " + value));
    }

    /**
     * A credential the service can read from a file ({@code GATEWAY_SECRETS_KEY_FILE}) is a mounted Secret, never the
     * value in the environment; provider secrets are the files of a mounted Secret, and the environment is not read
     * for them.
     */
    @ParameterizedTest
    @MethodSource("services")
    void secretsAreMountedFilesWhereTheServiceReadsFiles(ServiceModule service) {
        Container container = container(BASE, service.name());
        PodSpec pod = podTemplate(BASE, service.name()).getSpec();
        Map<String, String> env = environment(BASE, container);
        Map<String, String> read = service.variables();
        for (String name : read.keySet()) {
            if (name.endsWith("_FILE") && read.containsKey(name.substring(0, name.length() - 5))
                    && CREDENTIAL.matcher(name).find()) {
                String plain = name.substring(0, name.length() - 5);
                assertFalse(env.containsKey(plain), plain + " is set although " + service.name() + " reads " + name);
                if (env.containsKey(name)) {
                    Path file = Path.of(env.get(name));
                    assertSecretMount(container, pod, file.getParent().toString(), name);
                }
            }
        }
        if (read.containsKey("GATEWAY_SECRETS_KEY")) {
            assertTrue(env.containsKey("GATEWAY_SECRETS_KEY_FILE"), service.name() + " opens provider secrets: key");
        }
        if (read.containsKey("GATEWAY_SECRETS_DIR")) {
            assertSecretMount(container, pod, env.get("GATEWAY_SECRETS_DIR"), "GATEWAY_SECRETS_DIR");
            assertEquals("false", env.get("GATEWAY_SECRETS_FROM_ENV"), "provider secrets from the files only");
        }
        env.keySet().forEach(name -> assertFalse(ServiceModule.PROVIDER_SECRETS.contains(name),
                name + " is a provider secret in the environment"));
    }

    private static void assertSecretMount(Container container, PodSpec pod, String path, String setting) {
        VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path))
                .findFirst().orElse(null);
        assertNotNull(mount, setting + ": a volume is mounted at " + path);
        assertEquals(Boolean.TRUE, mount.getReadOnly(), setting + ": mounted read-only");
        Volume volume = volume(pod, mount.getName());
        assertNotNull(volume.getSecret(), setting + ": " + path + " is a Secret");
    }

    @ParameterizedTest
    @MethodSource("services")
    void runsAsTheImagesNonRootUserOnAReadOnlyRootFilesystem(ServiceModule service) throws IOException {
        PodTemplateSpec template = podTemplate(BASE, service.name());
        PodSpec pod = template.getSpec();
        Container container = container(BASE, service.name());
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), "runAsNonRoot");
        Matcher user = DOCKER_USER.matcher(Files.readString(service.dockerfile()));
        assertTrue(user.find(), "the Dockerfile names its user by number");
        assertEquals(Long.valueOf(user.group(1)), pod.getSecurityContext().getRunAsUser(), "the image's user");
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), "no Kubernetes API token in the pod");
        assertEquals("visca-gateway", template.getMetadata().getLabels().get("app.kubernetes.io/part-of"),
                "the network policies' label");

        var security = container.getSecurityContext();
        assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), "readOnlyRootFilesystem");
        assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), "allowPrivilegeEscalation");
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), "capabilities dropped");

        // writable: /tmp (the JVM's and Vert.x's files) and, for the router, its spool; everything else read-only
        for (VolumeMount mount : container.getVolumeMounts()) {
            if (!Boolean.TRUE.equals(mount.getReadOnly())) {
                boolean tmp = mount.getMountPath().equals("/tmp");
                boolean spool = mount.getMountPath().equals(environment(BASE, container).get("ROUTER_USAGE_SPOOL_DIR"));
                assertTrue(tmp || spool, mount.getMountPath() + " is writable for no reason");
            }
        }
        VolumeMount tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                .orElseThrow(() -> new AssertionError(service.name() + " has no writable /tmp"));
        assertNotNull(volume(pod, tmp.getName()).getEmptyDir(), "/tmp is an emptyDir");

        var resources = container.getResources();
        for (String kind : List.of("cpu", "memory")) {
            Quantity request = resources.getRequests().get(kind);
            Quantity limit = resources.getLimits().get(kind);
            assertNotNull(request, kind + " request");
            assertNotNull(limit, kind + " limit");
            assertTrue(request.getNumericalAmount().compareTo(limit.getNumericalAmount()) <= 0,
                    kind + " request within its limit");
        }
    }

    /** The image tag is the project's version: what `docker build` of this checkout is tagged with (README). */
    @Test
    void imagesAreTaggedWithTheProjectVersion() throws IOException {
        String readme = Files.readString(KubernetesManifests.DIR.resolve("README.md"));
        for (ServiceModule service : ServiceModule.ALL) {
            String image = "ghcr.io/visca/" + service.module() + ":" + projectVersion();
            assertTrue(readme.contains("-f " + ServiceModule.ROOT.relativize(service.dockerfile()) + " -t " + image),
                    "deploy/kubernetes/README.md says how to build " + image);
        }
    }

    static int port(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new AssertionError(container.getName() + " has no port " + name));
    }

    static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    static String projectVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>visca-gateway-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ServiceModule.ROOT.resolve("pom.xml")));
        assertTrue(m.find(), "the parent pom's version");
        return m.group(1);
    }
}
