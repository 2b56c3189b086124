package io.visca.gateway.infra;

import static io.visca.gateway.infra.KubernetesManifests.container;
import static io.visca.gateway.infra.KubernetesManifests.environment;
import static io.visca.gateway.infra.KubernetesManifests.named;
import static io.visca.gateway.infra.KubernetesManifests.podTemplate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * How the base's pieces fit together and with the code: the router's spool volume follows its pod, it scales and
 * is disrupted one pod at a time; the services that are not yet safe as several instances run as one; every URL one
 * service has of another names that service's Service, and the network policies let exactly that call through; only
 * the router and the registry are reachable from outside the gateway, and only on their API ports.
 */
class KubernetesTopologyTests {

    private static final List<HasMetadata> BASE = KubernetesManifests.base();
    private static final String NAME = "app.kubernetes.io/name";

    @Test
    void routerSpoolIsAClaimThatFollowsItsPod() {
        StatefulSet router = named(BASE, StatefulSet.class, "router");
        String dir = environment(BASE, container(BASE, "router")).get("ROUTER_USAGE_SPOOL_DIR");
        assertNotNull(dir, "ROUTER_USAGE_SPOOL_DIR is set (its default is relative to the read-only /app)");
        assertTrue(dir.startsWith("/"), dir);
        String volume = container(BASE, "router").getVolumeMounts().stream().filter(m -> m.getMountPath().equals(dir))
                .findFirst().orElseThrow(() -> new AssertionError("nothing is mounted at " + dir)).getName();
        assertTrue(router.getSpec().getVolumeClaimTemplates().stream()
                .anyMatch(c -> c.getMetadata().getName().equals(volume)), dir + " is a claim of the StatefulSet");
        assertTrue(podTemplate(BASE, "router").getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals(volume)),
                "and not a volume shared by the pods");
        assertEquals("Retain", router.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled(),
                "a scaled-down router's spool is kept for the next pod of its number");
        assertEquals(router.getMetadata().getName() + "-pods", router.getSpec().getServiceName());
        assertEquals("None", named(BASE, Service.class, "router-pods").getSpec().getClusterIP(), "headless");
    }

    @Test
    void routerScalesOnCpuAndIsDisruptedOnePodAtATime() {
        StatefulSet router = named(BASE, StatefulSet.class, "router");
        HorizontalPodAutoscaler hpa = named(BASE, HorizontalPodAutoscaler.class, "router");
        assertEquals("StatefulSet", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals("router", hpa.getSpec().getScaleTargetRef().getName());
        assertTrue(hpa.getSpec().getMinReplicas() >= 2, "at least two routers");
        assertNull(router.getSpec().getReplicas(), "replicas are the autoscaler's: an apply would reset them");
        assertNotNull(container(BASE, "router").getResources().getRequests().get("cpu"), "CPU utilization needs a request");

        PodDisruptionBudget pdb = named(BASE, PodDisruptionBudget.class, "router");
        assertEquals(new IntOrString(1), pdb.getSpec().getMaxUnavailable());
        assertSelects(pdb.getSpec().getSelector(), "router");
    }

    /**
     * Every service is safe as several instances: the registry (one outbox relay at a time, shared logouts and login
     * throttle) and the health monitor (shards of the endpoints) run two, rolled one at a time; billing shares
     * usage-recorded in one consumer group.
     */
    @Test
    void everyServiceRunsAsSeveralInstances() {
        for (String name : List.of("provider-registry", "health-monitor")) {
            Deployment deployment = named(BASE, Deployment.class, name);
            assertTrue(deployment.getSpec().getReplicas() >= 2, name + " runs as several instances");
            assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType(), name);
            assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal(),
                    name + ": a rollout never takes the last one away first");
        }
        Deployment billing = named(BASE, Deployment.class, "billing");
        assertTrue(billing.getSpec().getReplicas() >= 2, "billing scales");
        String group = ServiceModule.named("billing").properties()
                .getProperty("mp.messaging.incoming.usage-recorded.group.id");
        assertEquals("${BILLING_CONSUMER_GROUP:billing}", group, "one group for every billing instance");
        String value = environment(BASE, container(BASE, "billing")).get("BILLING_CONSUMER_GROUP");
        assertTrue(value == null || !value.contains("$"), "the same group in every pod: " + value);
    }

    /**
     * Every {@code *_URL} a service is given names a Service of the base on that Service's port, and that Service's
     * pods admit the caller on it.
     */
    @Test
    void everyUrlOfAnotherServiceIsReachableThroughItsService() {
        List<String> calls = new ArrayList<>();
        for (ServiceModule caller : ServiceModule.ALL) {
            environment(BASE, container(BASE, caller.name())).forEach((variable, value) -> {
                if (!variable.endsWith("_URL") || !value.startsWith("http://")) {
                    return;
                }
                URI url = URI.create(value);
                Service target = named(BASE, Service.class, url.getHost());
                assertTrue(target.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == url.getPort()),
                        caller.name() + " " + variable + ": " + url.getHost() + " serves port " + url.getPort());
                String pods = target.getSpec().getSelector().get(NAME);
                assertTrue(admits(pods, caller.name(), "http"), pods + " admits " + caller.name() + " (" + variable + ")");
                calls.add(caller.name() + "->" + pods);
            });
        }
        assertEquals(new TreeSet<>(List.of("router->provider-registry", "router->billing",
                "health-monitor->provider-registry", "provider-registry->health-monitor", "provider-registry->billing",
                "provider-registry->router")), new TreeSet<>(calls), "who calls whom");
    }

    /**
     * Every gateway pod denies what no policy admits; from outside the gateway (another namespace) only the ingress
     * controller reaches the router's and the registry's API ports, and only the monitoring namespace the management
     * ports.
     */
    @Test
    void onlyTheRouterAndTheRegistryApiPortsAreReachableFromOutside() {
        NetworkPolicy deny = named(BASE, NetworkPolicy.class, "gateway-default-deny-ingress");
        assertEquals(Map.of("app.kubernetes.io/part-of", "visca-gateway"), deny.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of(), deny.getSpec().getIngress(), "the default admits nothing");

        Set<String> outside = new TreeSet<>();
        for (NetworkPolicy policy : KubernetesManifests.all(BASE, NetworkPolicy.class)) {
            String pods = policy.getSpec().getPodSelector().getMatchLabels().getOrDefault(NAME, "every gateway pod");
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                assertTrue(!rule.getFrom().isEmpty() && !rule.getPorts().isEmpty(),
                        policy.getMetadata().getName() + ": every rule names its peers and ports");
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    assertNull(peer.getIpBlock(), "no address blocks");
                    if (peer.getNamespaceSelector() != null) {
                        String namespace = peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
                        for (NetworkPolicyPort port : rule.getPorts()) {
                            outside.add(namespace + "->" + pods + ":" + port.getPort().getStrVal());
                        }
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(List.of("ingress-nginx->router:http", "ingress-nginx->provider-registry:http",
                "monitoring->every gateway pod:management")), outside);
    }

    @Test
    void kafkaTopicsAreTheOnesTheCodeUsesAsItExpectsThem() throws IOException {
        List<HasMetadata> strimzi = KubernetesManifests.resources(KubernetesManifests.DIR.resolve("infra/strimzi"));
        var kafka = KubernetesManifests.custom(strimzi, "Kafka");
        assertEquals(1, kafka.size());
        String cluster = kafka.get(0).getMetadata().getName();
        assertEquals("enabled", kafka.get(0).getMetadata().getAnnotations().get("strimzi.io/kraft"), "KRaft");
        var pools = KubernetesManifests.custom(strimzi, "KafkaNodePool");
        assertEquals(1, pools.size());
        assertEquals(List.of("controller", "broker"), pools.get(0).get("spec", "roles"));
        assertEquals(cluster, pools.get(0).getMetadata().getLabels().get("strimzi.io/cluster"));
        List<Map<String, Object>> listeners = kafka.get(0).get("spec", "kafka", "listeners");
        Object plain = listeners.stream().filter(l -> Boolean.FALSE.equals(l.get("tls"))).findFirst()
                .orElseThrow().get("port");
        assertEquals(cluster + "-kafka-bootstrap:" + plain,
                environment(BASE, container(BASE, "router")).get("KAFKA_BOOTSTRAP_SERVERS"), "the gateway's bootstrap");

        Map<String, Map<String, Object>> topics = new java.util.TreeMap<>();
        for (var topic : KubernetesManifests.custom(strimzi, "KafkaTopic")) {
            assertEquals(cluster, topic.getMetadata().getLabels().get("strimzi.io/cluster"));
            topics.put(topic.getMetadata().getName(), topic.get("spec"));
        }
        Set<String> expected = new TreeSet<>(codeTopics());
        expected.add(ServiceModule.named("health-monitor").properties().getProperty("health.shards.topic",
                "health-monitor-shards"));
        assertEquals(expected, topics.keySet(), "gateway-contracts' Topics and the health monitors' shard topic");
        assertEquals(ServiceModule.named("health-monitor").properties().getProperty("health.shards.partitions"),
                "${HEALTH_SHARDS_PARTITIONS:" + topics.get("health-monitor-shards").get("partitions") + "}",
                "as many shards as the monitors make by default");
        assertEquals("compact", config(topics.get("provider-health-changed")).get("cleanup.policy"),
                "provider-health-changed is compacted (HealthTopic)");
        assertEquals("delete", config(topics.get("usage-recorded")).get("cleanup.policy"), "every usage event billed");
        int billing = named(BASE, Deployment.class, "billing").getSpec().getReplicas();
        assertTrue((int) topics.get("usage-recorded").get("partitions") >= billing,
                "a partition for every billing instance");
    }

    @Test
    void databasesAreTheClustersDatabasesWithItsOwner() {
        List<HasMetadata> pg = KubernetesManifests.resources(KubernetesManifests.DIR.resolve("infra/cloudnative-pg"));
        var clusters = KubernetesManifests.custom(pg, "Cluster");
        assertEquals(1, clusters.size());
        var cluster = clusters.get(0);
        Map<String, Object> initdb = cluster.get("spec", "bootstrap", "initdb");
        Set<String> databases = new TreeSet<>(List.of((String) initdb.get("database")));
        for (var database : KubernetesManifests.custom(pg, "Database")) {
            assertEquals(cluster.getMetadata().getName(), database.get("spec", "cluster", "name"));
            assertEquals(initdb.get("owner"), database.get("spec", "owner"), "one owner of both databases");
            databases.add(database.get("spec", "name"));
        }
        String secret = (String) ((Map<?, ?>) initdb.get("secret")).get("name");
        for (String service : List.of("provider-registry", "billing")) {
            Map<String, String> env = environment(BASE, container(BASE, service));
            URI url = URI.create(env.get("DB_URL"));
            assertEquals(cluster.getMetadata().getName() + "-rw", url.getHost(), service + ": the primary");
            assertTrue(databases.contains(url.getPath().substring(1)), service + ": " + url.getPath() + " exists");
            assertEquals("secret:" + secret + "/username", env.get("DB_USER"), service + ": the owner");
            assertEquals("secret:" + secret + "/password", env.get("DB_PASSWORD"), service + ": its password");
        }
        assertEquals(Set.of("registry", "billing"), databases);
    }

    private boolean admits(String pods, String caller, String port) {
        return KubernetesManifests.all(BASE, NetworkPolicy.class).stream()
                .filter(p -> pods.equals(p.getSpec().getPodSelector().getMatchLabels().get(NAME)))
                .flatMap(p -> p.getSpec().getIngress().stream())
                .filter(rule -> rule.getPorts().stream().anyMatch(p -> port.equals(p.getPort().getStrVal())))
                .flatMap(rule -> rule.getFrom().stream())
                .anyMatch(peer -> peer.getNamespaceSelector() == null && peer.getPodSelector() != null
                        && caller.equals(peer.getPodSelector().getMatchLabels().get(NAME)));
    }

    private static void assertSelects(LabelSelector selector, String name) {
        assertEquals(Map.of(NAME, name), selector.getMatchLabels());
        assertEquals(name, podTemplate(BASE, name).getMetadata().getLabels().get(NAME));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Map<String, Object> topicSpec) {
        return (Map<String, Object>) topicSpec.get("config");
    }

    /** The topic names gateway-contracts' Topics declares (read from its source: this module does not use it). */
    private static Set<String> codeTopics() throws IOException {
        String source = Files.readString(ServiceModule.ROOT
                .resolve("gateway-contracts/src/main/java/io/visca/gateway/contracts/event/Topics.java"));
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("static final String [A-Z_]+ = \"([^\"]+)\"").matcher(source);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertEquals(3, names.size(), "three topics");
        return names;
    }
}
