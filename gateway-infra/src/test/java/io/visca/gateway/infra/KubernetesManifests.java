package io.visca.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The manifests of deploy/kubernetes, parsed with fabric8's Kubernetes model: what a kustomization lists (its
 * resources, folders followed through their own kustomization.yaml), and what a service's container is given. No
 * {@code kustomize build} here (it is not available offline): the base is read as written, and the overlays' patches
 * are checked against it by {@link KubernetesOverlayTests}.
 */
final class KubernetesManifests {

    static final Path DIR = ServiceModule.ROOT.resolve("deploy/kubernetes");
    static final Path BASE = DIR.resolve("base");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private KubernetesManifests() {
    }

    /** Every document of a YAML file, typed when the model knows its kind, else generic (custom resources). */
    static List<HasMetadata> parse(Path file) {
        List<HasMetadata> documents = unmarshal(file);
        documents.forEach(d -> assertTrue(d.getMetadata() != null && d.getMetadata().getName() != null,
                file + ": every document has a name"));
        return documents;
    }

    private static List<HasMetadata> unmarshal(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Object parsed = SERIALIZATION.unmarshal(in);
            List<HasMetadata> documents = new ArrayList<>();
            if (parsed instanceof List<?> list) {
                list.forEach(d -> documents.add((HasMetadata) d));
            } else {
                documents.add((HasMetadata) parsed);
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kustomization.yaml of a folder (a generic resource: the model has no type for it). */
    static GenericKubernetesResource kustomization(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        assertTrue(Files.isRegularFile(file), file + " exists");
        List<HasMetadata> parsed = unmarshal(file);
        assertEquals(1, parsed.size(), file + " is one document");
        GenericKubernetesResource kustomization = (GenericKubernetesResource) parsed.get(0);
        assertEquals("Kustomization", kustomization.getKind(), file.toString());
        return kustomization;
    }

    /** What a kustomization's {@code resources} list, folders followed. */
    static List<HasMetadata> resources(Path dir) {
        List<HasMetadata> all = new ArrayList<>();
        for (String entry : strings(kustomization(dir), "resources")) {
            Path path = dir.resolve(entry).normalize();
            assertTrue(Files.exists(path), dir + ": resource " + entry + " exists");
            all.addAll(Files.isDirectory(path) ? resources(path) : parse(path));
        }
        return all;
    }

    static List<HasMetadata> base() {
        return resources(BASE);
    }

    /** A list of strings of a kustomization ({@code resources}), empty when absent. */
    @SuppressWarnings("unchecked")
    static List<String> strings(GenericKubernetesResource kustomization, String field) {
        Object value = kustomization.getAdditionalProperties().get(field);
        return value == null ? List.of() : (List<String>) value;
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> resources, Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> resources, Class<T> kind, String name) {
        List<T> found = all(resources, kind).stream().filter(r -> r.getMetadata().getName().equals(name)).toList();
        assertEquals(1, found.size(), "one " + kind.getSimpleName() + " " + name);
        return found.get(0);
    }

    static List<GenericKubernetesResource> custom(List<HasMetadata> resources, String kind) {
        return all(resources, GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    /** The pod template of a service's workload: a Deployment or a StatefulSet of its name. */
    static PodTemplateSpec podTemplate(List<HasMetadata> resources, String name) {
        List<PodTemplateSpec> templates = new ArrayList<>();
        all(resources, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name))
                .forEach(d -> templates.add(d.getSpec().getTemplate()));
        all(resources, StatefulSet.class).stream().filter(s -> s.getMetadata().getName().equals(name))
                .forEach(s -> templates.add(s.getSpec().getTemplate()));
        assertEquals(1, templates.size(), "one Deployment or StatefulSet " + name);
        return templates.get(0);
    }

    static Container container(List<HasMetadata> resources, String name) {
        List<Container> containers = podTemplate(resources, name).getSpec().getContainers();
        assertEquals(1, containers.size(), name + " runs one container");
        return containers.get(0);
    }

    /**
     * The environment a container is given, by name: a literal or a ConfigMap's value as it is, a Secret's as
     * {@code secret:<name>/<key>}. A name given twice fails (which one wins is easy to get wrong).
     */
    static Map<String, String> environment(List<HasMetadata> resources, Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            assertTrue(from.getConfigMapRef() != null && from.getPrefix() == null,
                    container.getName() + ": envFrom takes whole ConfigMaps only");
            ConfigMap map = named(resources, ConfigMap.class, from.getConfigMapRef().getName());
            map.getData().forEach((k, v) -> put(env, container, k, v));
        }
        for (EnvVar var : container.getEnv()) {
            if (var.getValueFrom() == null) {
                put(env, container, var.getName(), Objects.requireNonNullElse(var.getValue(), ""));
            } else {
                var secret = var.getValueFrom().getSecretKeyRef();
                assertTrue(secret != null, container.getName() + " " + var.getName() + ": from a Secret or literal");
                put(env, container, var.getName(), "secret:" + secret.getName() + "/" + secret.getKey());
            }
        }
        return env;
    }

    private static void put(Map<String, String> env, Container container, String name, String value) {
        assertTrue(env.put(name, value) == null, container.getName() + ": " + name + " is set twice");
    }

    /**
     * Fields the model does not know (a misspelt {@code readinesProbe}) land in {@code additionalProperties}: none
     * anywhere in a typed resource. Generic ones (custom resources) are not checked.
     */
    static void assertNoUnknownFields(Object node, String where) {
        if (node == null || node instanceof GenericKubernetesResource) {
            return;
        }
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                assertNoUnknownFields(list.get(i), where + "[" + i + "]");
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> assertNoUnknownFields(v, where + "." + k));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = invoke(getter, node);
            if (getter.getName().equals("getAdditionalProperties")) {
                assertTrue(value == null || ((Map<?, ?>) value).isEmpty(),
                        where + ": fields the Kubernetes model does not know: " + value);
            } else {
                assertNoUnknownFields(value, where + "." + getter.getName().substring(3));
            }
        }
    }

    private static Object invoke(Method getter, Object node) {
        try {
            return getter.invoke(node);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(getter + " failed", e);
        }
    }
}
