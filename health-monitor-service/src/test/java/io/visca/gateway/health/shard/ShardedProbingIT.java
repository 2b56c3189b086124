package io.visca.gateway.health.shard;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.visca.gateway.fakes.FakeOllamaServer;
import io.visca.gateway.fakes.RecordedRequest;
import io.visca.gateway.health.testing.HealthEvents;
import io.visca.gateway.health.testing.HealthEvents.Event;
import io.visca.gateway.health.testing.MonitorTestResource;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.infra.test.RegistryAdminClient;
import io.visca.gateway.infra.test.ServiceProcess;

/**
 * Two health monitor instances from the packaged jar ({@code -Dhealth-monitor.jar}), as processes of their own, share
 * the endpoints of one registry (its jar too) over the real Kafka broker: every endpoint is probed by exactly one of
 * them each interval (probes counted at the fake upstreams, each instance known by its user agent); when one is
 * killed (SIGKILL) the other probes its endpoints within the documented bound (session timeout + heartbeat + 2 s) and
 * publishes the DOWN of an endpoint that failed after the kill; one stopped (SIGTERM) hands over at once (well within
 * the session timeout); and no endpoint ever gets a made-up or doubled transition.
 */
class ShardedProbingIT {

    private static final String PROVIDER = "hm-shards";
    private static final int ENDPOINTS = 8;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
    /** The documented bound after a SIGKILL: session timeout + heartbeat interval (1 s) + 2 s. */
    private static final Duration KILL_BOUND = SESSION_TIMEOUT.plusSeconds(3);

    private static final Map<String, FakeOllamaServer> upstreams = new LinkedHashMap<>();
    private static ServiceProcess registry;
    private static ServiceProcess a;
    private static ServiceProcess b;
    private static HealthEvents events;

    @BeforeAll
    static void start() {
        String kafka = GatewayInfraResource.kafkaBootstrapServers();
        Map<String, String> db = GatewayInfraResource.database("registry_shards");
        registry = new ServiceProcess("shards-registry", ServiceProcess.jar("registry.jar"),
                ServiceProcess.environment("DB_URL", db.get("url"), "DB_USER", db.get("user"), "DB_PASSWORD",
                        db.get("password"), "KAFKA_BOOTSTRAP_SERVERS", kafka, "GATEWAY_ADMIN_TOKEN",
                        MonitorTestResource.ADMIN_TOKEN, "GATEWAY_SERVICE_TOKEN", MonitorTestResource.SERVICE_TOKEN,
                        "GATEWAY_SECRETS_KEY", MonitorTestResource.SECRETS_KEY, "PROVIDERS_DIR", "",
                        "GATEWAY_MANAGED_PROVIDERS", "false"))
                .start();
        events = HealthEvents.on(kafka);
        a = monitor("a", kafka).start();
        b = monitor("b", kafka).start();

        ProviderJson provider = ProviderJson.of(PROVIDER, "ollama").probe(1, 2, 1);
        for (int i = 1; i <= ENDPOINTS; i++) {
            FakeOllamaServer upstream = FakeOllamaServer.start();
            upstreams.put("e" + i, upstream);
            provider.endpoint("e" + i, upstream.baseUrl());
        }
        new RegistryAdminClient(registry::url, MonitorTestResource.ADMIN_TOKEN).putProvider(provider.json());
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess p : new ServiceProcess[] { a, b, registry }) {
            if (p != null) {
                p.stop();
            }
        }
        upstreams.values().forEach(FakeOllamaServer::close);
    }

    private static ServiceProcess monitor(String name, String kafka) {
        return new ServiceProcess("shards-monitor-" + name, ServiceProcess.jar("health-monitor.jar"),
                ServiceProcess.environment("REGISTRY_URL", registry.url(), "GATEWAY_SERVICE_TOKEN",
                        MonitorTestResource.SERVICE_TOKEN, "GATEWAY_SECRETS_KEY", MonitorTestResource.SECRETS_KEY,
                        "KAFKA_BOOTSTRAP_SERVERS", kafka, "HEALTH_SHARDS_SESSION_TIMEOUT",
                        SESSION_TIMEOUT.toSeconds() + "s",
                        // each instance's probes are known at the fakes by their user agent
                        "HEALTH_PROBE_USER_AGENT", "monitor-" + name));
    }

    @Test
    void everyEndpointIsProbedByOneInstanceAndTheOthersTakeOverWhenOneDiesOrStops() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> upstreams.keySet().stream()
                .allMatch(e -> "UP".equals(status(e))));
        Map<String, String> holders = awaitSteadyHolders();
        assertEquals(Set.of("monitor-a", "monitor-b"), new HashSet<>(holders.values()), "both share: " + holders);
        assertOneProbePerInterval(Set.of("monitor-a", "monitor-b"));
        for (ServiceProcess instance : List.of(a, b)) {
            JsonPath health = api(instance, "/api/health/" + PROVIDER);
            assertEquals(ENDPOINTS, health.getList("endpoints").size(), "each instance shows every endpoint");
            assertEquals(List.of("UP"), health.getList("endpoints.status").stream().distinct().toList());
            long published = upstreams.keySet().stream().mapToLong(e -> events.forKey(key(e)).size()).sum();
            assertEquals(published, api(instance, "/api/health/transitions?provider=" + PROVIDER)
                    .getList("transitions").size(), "each instance lists every endpoint's history");
        }

        // SIGKILL b: a probes b's endpoints within the bound, and publishes the DOWN of one that fails after the kill
        List<String> ofB = holders.entrySet().stream().filter(h -> h.getValue().equals("monitor-b"))
                .map(Map.Entry::getKey).toList();
        String failing = ofB.get(0);
        upstreams.values().forEach(FakeOllamaServer::clearRequests);
        int before = events.forKey(key(failing)).size();
        long killed = System.nanoTime();
        b.kill();
        upstreams.get(failing).stop();
        for (String endpoint : ofB.subList(1, ofB.size())) {
            await().atMost(KILL_BOUND).pollInterval(Duration.ofMillis(50))
                    .until(() -> probedBy(endpoint).contains("monitor-a"));
        }
        // the bound, and two failed probes a second apart (failure_threshold 2)
        Event down = awaitNext(failing, before, KILL_BOUND.plusSeconds(3));
        assertEquals("UP", down.value().path("previous_status").asText());
        assertTrue(Duration.ofNanos(System.nanoTime() - killed).compareTo(KILL_BOUND.plusSeconds(3)) < 0);
        Map<String, String> afterKill = awaitSteadyHolders();
        assertEquals(Set.of("monitor-a"), new HashSet<>(afterKill.values()), "a probes everything: " + afterKill);
        assertOneProbePerInterval(Set.of("monitor-a"));

        // b comes back and takes its share again, resuming from the topic: nothing is published for it
        b.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> awaitSteadyHolders().containsValue("monitor-b"));
        upstreams.get(failing).restart();
        events.await(key(failing), e -> "UP".equals(e.status()) && e.offset() > down.offset());

        // SIGTERM a: it leaves the group, b takes over at once (well within the session timeout)
        Map<String, String> beforeStop = awaitSteadyHolders();
        List<String> ofA = beforeStop.entrySet().stream().filter(h -> h.getValue().equals("monitor-a"))
                .map(Map.Entry::getKey).toList();
        upstreams.values().forEach(FakeOllamaServer::clearRequests);
        long stopped = System.nanoTime();
        a.stop();
        for (String endpoint : ofA) {
            await().atMost(SESSION_TIMEOUT.minusSeconds(4)).pollInterval(Duration.ofMillis(50))
                    .until(() -> probedBy(endpoint).contains("monitor-b"));
        }
        Duration handover = Duration.ofNanos(System.nanoTime() - stopped);
        assertTrue(handover.compareTo(SESSION_TIMEOUT) < 0, "handed over in " + handover);
        String failsLater = ofA.get(0);
        int seenLater = events.forKey(key(failsLater)).size();
        upstreams.get(failsLater).stop();
        Event laterDown = awaitNext(failsLater, seenLater, Duration.ofSeconds(10));
        assertEquals("UP", laterDown.value().path("previous_status").asText(), "health events keep flowing");
        assertOneProbePerInterval(Set.of("monitor-b"));

        assertNoMadeUpOrDoubledTransitions();
    }

    /** Waits for the endpoint's next event after the first {@code seen}, which must be the only one, a DOWN. */
    private static Event awaitNext(String endpoint, int seen, Duration within) {
        List<Event> next = await().atMost(within).pollInterval(Duration.ofMillis(50))
                .until(() -> events.forKey(key(endpoint)), e -> e.size() > seen);
        assertEquals(seen + 1, next.size(), endpoint + ": " + statuses(next));
        assertEquals("DOWN", next.get(seen).status(), endpoint + ": " + statuses(next));
        return next.get(seen);
    }

    /** Waits until each endpoint's probes (over 2.5 s) come from one instance; returns endpoint to instance. */
    private static Map<String, String> awaitSteadyHolders() {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            upstreams.values().forEach(FakeOllamaServer::clearRequests);
            Thread.sleep(2_500);
            Map<String, String> holders = new TreeMap<>();
            for (String endpoint : upstreams.keySet()) {
                Set<String> by = probedBy(endpoint);
                if (by.size() == 1) {
                    holders.put(endpoint, by.iterator().next());
                } else if (isUp(endpoint)) {
                    return null;
                }
            }
            return holders;
        }, h -> h != null);
    }

    /** Over 5 s, each listening endpoint gets 4 to 6 probes (one a second), all from one of {@code instances}. */
    private static void assertOneProbePerInterval(Set<String> instances) throws InterruptedException {
        upstreams.values().forEach(FakeOllamaServer::clearRequests);
        Thread.sleep(5_000);
        for (Map.Entry<String, FakeOllamaServer> upstream : upstreams.entrySet()) {
            if (!isUp(upstream.getKey())) {
                continue;
            }
            List<RecordedRequest> probes = upstream.getValue().requests();
            Set<String> by = probedBy(upstream.getKey());
            assertEquals(1, by.size(), upstream.getKey() + " probed by one instance: " + by);
            assertTrue(instances.containsAll(by), upstream.getKey() + ": " + by);
            assertTrue(probes.size() >= 4 && probes.size() <= 6,
                    upstream.getKey() + " probed once a second, not twice: " + probes.size() + " in 5 s");
        }
    }

    /**
     * Per endpoint, the statuses on the topic follow each other: each event's previous status is the one before
     * it, no status is published twice in a row, and only the very first event has no previous status (a handover
     * or a restart made nothing up).
     */
    private static void assertNoMadeUpOrDoubledTransitions() {
        for (String endpoint : upstreams.keySet()) {
            List<Event> published = new ArrayList<>(events.forKey(key(endpoint)));
            assertFalse(published.isEmpty());
            String previous = null;
            for (Event event : published) {
                assertFalse(event.tombstone(), endpoint + " was never withdrawn");
                String from = event.value().path("previous_status").isNull() ? null
                        : event.value().path("previous_status").asText();
                assertEquals(previous, from, endpoint + ": " + statuses(published));
                assertFalse(event.status().equals(previous), endpoint + " doubled: " + statuses(published));
                previous = event.status();
            }
        }
    }

    private static List<String> statuses(List<Event> published) {
        return published.stream().map(e -> e.value().path("previous_status").asText() + "->" + e.status())
                .collect(Collectors.toList());
    }

    private static Set<String> probedBy(String endpoint) {
        return upstreams.get(endpoint).requests().stream().map(r -> r.header("user-agent"))
                .collect(Collectors.toSet());
    }

    private static boolean isUp(String endpoint) {
        return upstreams.get(endpoint).requests() != null && "UP".equals(status(endpoint));
    }

    private static String status(String endpoint) {
        List<Event> published = events.forKey(key(endpoint));
        return published.isEmpty() ? null : published.get(published.size() - 1).status();
    }

    private static String key(String endpoint) {
        return PROVIDER + "/" + endpoint;
    }

    private static JsonPath api(ServiceProcess instance, String path) {
        return given().baseUri(instance.url()).header("Authorization", "Bearer " + MonitorTestResource.SERVICE_TOKEN)
                .get(path).then().statusCode(200).extract().jsonPath();
    }
}
