package io.visca.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * Every manifest under deploy/kubernetes parses with the Kubernetes model and has no field it does not know; the
 * overlays are plain patches of what they build on. Without {@code kustomize build} (not available offline) the merge
 * that matters is done here: a ConfigMap patch may only change values the base sets (so every variable a service is
 * given stays one it reads, see {@link KubernetesManifestTests}), and every other patch names a resource that is
 * there. Every Secret the manifests use is one deploy/kubernetes/README.md says how to create.
 */
class KubernetesOverlayTests {

    @Test
    void everyManifestParsesWithoutUnknownFields() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(KubernetesManifests.DIR)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).sorted()
                    .toList();
        }
        assertTrue(files.size() >= 10, "the manifests are there: " + files);
        for (Path file : files) {
            for (HasMetadata resource : KubernetesManifests.parse(file)) {
                KubernetesManifests.assertNoUnknownFields(resource,
                        KubernetesManifests.DIR.relativize(file) + " " + resource.getMetadata().getName());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "overlays/example", "overlays/managed" })
    void overlayPatchesOnlyWhatItBuildsOn(String overlay) {
        Path dir = KubernetesManifests.DIR.resolve(overlay);
        List<HasMetadata> resources = KubernetesManifests.resources(dir);
        GenericKubernetesResource kustomization = KubernetesManifests.kustomization(dir);
        assertTrue(KubernetesManifests.strings(kustomization, "resources").contains("../../base"), "builds on the base");
        assertEquals("visca", kustomization.getAdditionalProperties().get("namespace"), "one namespace");

        List<Path> patches = new ArrayList<>();
        for (Object patch : list(kustomization, "patches")) {
            Map<?, ?> entry = (Map<?, ?>) patch;
            assertEquals(Set.of("path"), entry.keySet(), "a patch is a file of plain strategic-merge patches");
            patches.add(dir.resolve((String) entry.get("path")));
        }
        assertFalse(patches.isEmpty(), "the overlay patches something");
        for (Path file : patches) {
            for (HasMetadata patch : KubernetesManifests.parse(file)) {
                String name = patch.getMetadata().getName();
                List<HasMetadata> targets = resources.stream()
                        .filter(r -> r.getKind().equals(patch.getKind()) && r.getMetadata().getName().equals(name))
                        .toList();
                assertEquals(1, targets.size(), file.getFileName() + ": patches a " + patch.getKind() + " " + name
                        + " that is there");
                if (patch instanceof ConfigMap map) {
                    Set<String> base = ((ConfigMap) targets.get(0)).getData().keySet();
                    assertTrue(base.containsAll(map.getData().keySet()),
                            file.getFileName() + ": " + name + " only changes values the base sets: " + base);
                }
            }
        }

        Set<String> images = new TreeSet<>();
        for (HasMetadata r : resources) {
            KubernetesManifests.all(List.of(r), io.fabric8.kubernetes.api.model.apps.Deployment.class)
                    .forEach(d -> d.getSpec().getTemplate().getSpec().getContainers().forEach(c -> images.add(c.getImage())));
            KubernetesManifests.all(List.of(r), io.fabric8.kubernetes.api.model.apps.StatefulSet.class)
                    .forEach(s -> s.getSpec().getTemplate().getSpec().getContainers().forEach(c -> images.add(c.getImage())));
        }
        for (Object image : list(kustomization, "images")) {
            String name = (String) ((Map<?, ?>) image).get("name");
            assertTrue(images.stream().anyMatch(i -> i.startsWith(name + ":")), "the base runs " + name);
        }
    }

    /** The ingress publishes the router's /v1 and the registry (dashboard) and nothing else. */
    @Test
    void exampleIngressPublishesTheRoutersV1AndTheDashboardOnly() {
        List<HasMetadata> resources = KubernetesManifests.resources(KubernetesManifests.DIR.resolve("overlays/example"));
        Set<String> published = new TreeSet<>();
        for (Ingress ingress : KubernetesManifests.all(resources, Ingress.class)) {
            ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths().forEach(path -> published
                    .add(path.getBackend().getService().getName() + ":" + path.getBackend().getService().getPort()
                            .getName() + path.getPath())));
        }
        assertEquals(Set.of("router:http/v1", "provider-registry:http/"), published);
    }

    /** Every Secret and key the manifests use, with where: the README's creation commands name each. */
    @Test
    void everySecretIsOneTheReadmeSaysHowToCreate() throws IOException {
        String readme = Files.readString(KubernetesManifests.DIR.resolve("README.md"));
        List<HasMetadata> all = new ArrayList<>(KubernetesManifests.base());
        all.addAll(KubernetesManifests.resources(KubernetesManifests.DIR.resolve("infra/cloudnative-pg")));
        Set<String> secrets = new TreeSet<>();
        for (ServiceModule service : ServiceModule.ALL) {
            Container container = KubernetesManifests.container(all, service.name());
            KubernetesManifests.environment(all, container).values().stream().filter(v -> v.startsWith("secret:"))
                    .forEach(v -> secrets.add(v.substring("secret:".length())));
            KubernetesManifests.podTemplate(all, service.name()).getSpec().getVolumes().stream()
                    .filter(v -> v.getSecret() != null).forEach(v -> secrets.add(v.getSecret().getSecretName()));
        }
        for (String secret : secrets) {
            String name = secret.contains("/") ? secret.substring(0, secret.indexOf('/')) : secret;
            assertTrue(readme.contains("create secret generic " + name + " "), "README creates " + name);
            if (secret.contains("/")) {
                String key = secret.substring(secret.indexOf('/') + 1);
                assertTrue(readme.contains("--from-literal=" + key + "=") || readme.contains("--from-file=" + key + "="),
                        "README creates " + name + " with the key " + key);
            }
        }
        assertTrue(secrets.size() >= 5, "the secrets found: " + secrets);
    }

    private static List<?> list(GenericKubernetesResource kustomization, String field) {
        Object value = kustomization.getAdditionalProperties().get(field);
        return value == null ? List.of() : (List<?>) value;
    }
}
