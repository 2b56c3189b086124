package io.visca.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.infra.test.ServiceProcess;
import io.visca.gateway.registry.InstanceClient.Answer;
import io.visca.gateway.registry.ProviderChangedLog.Event;

/**
 * Two packaged registries ({@code -Dregistry.jar}) on one PostgreSQL database and one Kafka broker, as behind a load
 * balancer: writes through both reach {@code provider-changed} once each, in commit order per key; a relay killed
 * (SIGKILL) while writes go on loses nothing and reorders nothing (it may repeat the round it had not marked); a
 * dashboard session, its CSRF token, its logout and the login throttle hold whichever instance a request lands on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {

    private static final String ADMIN = "two-instances-admin-token";
    private static final String SERVICE = "two-instances-service-token";
    private static final int LOGIN_FAILURES = 4;
    private static final int BATCH = 20;
    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");

    private static Map<String, String> db;
    private static ServiceProcess a;
    private static ServiceProcess b;

    @BeforeAll
    static void startBoth() {
        db = GatewayInfraResource.database("registry_two_instances_it");
        a = process("registry-a");
        b = process("registry-b");
        a.launch();
        b.launch();
        a.awaitReady();
        b.awaitReady();
    }

    @AfterAll
    static void stopBoth() {
        if (a != null) {
            a.stop();
        }
        if (b != null) {
            b.stop();
        }
    }

    @AfterEach
    void forgetLoginFailures() throws SQLException {
        sql("delete from dashboard_login_failure");
    }

    @Test
    @Order(1)
    void concurrentWritesThroughBothInstancesArePublishedOnceInCommitOrder() throws Exception {
        InstanceClient viaA = new InstanceClient(a.url(), ADMIN, SERVICE);
        InstanceClient viaB = new InstanceClient(b.url(), ADMIN, SERVICE);
        List<String> names = List.of("both-0", "both-1", "both-2");
        for (String name : names) {
            assertEquals(201, viaA.createProvider(name).status());
        }
        long from = viaA.revision();
        try (ProviderChangedLog log = new ProviderChangedLog(GatewayInfraResource.kafkaBootstrapServers())) {
            ExecutorService writers = Executors.newFixedThreadPool(4);
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                InstanceClient via = w % 2 == 0 ? viaA : viaB;
                int writer = w;
                done.add(writers.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 15; i++) {
                        if (via.replaceProvider(names.get((writer + i) % names.size()), writer * 1000 + i + 1)
                                .status() == 200) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            int written = 0;
            for (Future<Integer> f : done) {
                written += f.get(120, TimeUnit.SECONDS);
            }
            writers.shutdown();
            assertEquals(60, written, "every write through either instance succeeded");
            long to = viaA.revision();
            assertEquals(from + 60, viaB.revision(), "both instances see the same revision");
            assertEquals(from + 60, to);

            List<Event> events = log.awaitRevisions(from, to, 60);
            Map<Long, Integer> times = new TreeMap<>();
            events.stream().filter(e -> e.revision() > from && e.revision() <= to)
                    .forEach(e -> times.merge(e.revision(), 1, Integer::sum));
            assertEquals(60, times.size(), "every committed change was published: " + times.keySet());
            assertTrue(times.values().stream().allMatch(n -> n == 1), "none twice while both live: " + times);
            ProviderChangedLog.assertFirstDeliveriesInRevisionOrderPerKey(events, from);
        }
    }

    @Test
    @Order(2)
    void aSessionWorksOnBothInstancesAndItsLogoutOnOneEndsItOnTheOther() throws Exception {
        InstanceClient viaA = new InstanceClient(a.url(), ADMIN, SERVICE);
        InstanceClient viaB = new InstanceClient(b.url(), ADMIN, SERVICE);
        Answer login = viaA.login(ADMIN);
        assertEquals(303, login.status(), login.body());
        String cookie = login.cookie("visca_session");
        assertNotNull(cookie, "the login set a session cookie");

        Answer pageOnA = viaA.page("/providers", cookie);
        assertEquals(200, pageOnA.status(), "the session opens pages on the instance that issued it");
        Matcher csrf = CSRF.matcher(pageOnA.body());
        assertTrue(csrf.find(), "the page carries its CSRF token");
        assertEquals(200, viaB.page("/providers", cookie).status(), "and on the other instance");

        assertEquals(403, viaB.logout(cookie, csrf.group(1) + "x").status(), "a wrong CSRF token is refused");
        Answer logout = viaB.logout(cookie, csrf.group(1));
        assertEquals(303, logout.status(), "the CSRF token from A is accepted on B: " + logout.body());

        Answer afterOnA = viaA.page("/providers", cookie);
        assertEquals(303, afterOnA.status(), "logged out on B, the session is refused on A at once");
        assertTrue(afterOnA.header("Location").contains("/login?next="), afterOnA.header("Location"));
        assertEquals(303, viaB.page("/providers", cookie).status());
        assertEquals(200, viaA.page("/providers", viaA.login(ADMIN).cookie("visca_session")).status(),
                "a new login works");
    }

    @Test
    @Order(3)
    void theLoginThrottleCountsFailuresOnBothInstances() throws Exception {
        InstanceClient viaA = new InstanceClient(a.url(), ADMIN, SERVICE);
        InstanceClient viaB = new InstanceClient(b.url(), ADMIN, SERVICE);
        for (int i = 0; i < LOGIN_FAILURES; i++) {
            assertEquals(401, (i % 2 == 0 ? viaA : viaB).login("wrong-" + i).status(), "failure " + (i + 1));
        }
        Answer locked = viaB.login("wrong-again");
        assertEquals(429, locked.status(), "the failures of both instances add up");
        long retryAfter = Long.parseLong(locked.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After: " + retryAfter);
        assertEquals(429, viaA.login(ADMIN).status(), "the other instance refuses even the right token");
    }

    @Test
    @Order(4)
    void aKilledRelayIsTakenOverWithoutLossOrReordering() throws Exception {
        InstanceClient viaA = new InstanceClient(a.url(), ADMIN, SERVICE);
        InstanceClient viaB = new InstanceClient(b.url(), ADMIN, SERVICE);
        List<String> names = List.of("kill-0", "kill-1");
        for (String name : names) {
            assertEquals(201, viaB.createProvider(name).status());
        }
        long from = viaB.revision();
        try (ProviderChangedLog log = new ProviderChangedLog(GatewayInfraResource.kafkaBootstrapServers())) {
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger version = new AtomicInteger();
            ExecutorService writers = Executors.newFixedThreadPool(2);
            List<Future<?>> done = new ArrayList<>();
            for (InstanceClient via : List.of(viaA, viaB)) {
                done.add(writers.submit(() -> {
                    while (writing.get()) {
                        int v = version.incrementAndGet();
                        try {
                            via.replaceProvider(names.get(v % names.size()), v);
                        } catch (Exception e) {
                            if (via == viaB) {
                                throw e;
                            }
                            sleep(50); // A is gone: its writer waits for the end
                        }
                    }
                    return null;
                }));
            }
            sleep(1500);
            a.kill();
            sleep(3000);
            writing.set(false);
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            writers.shutdown();
            long to = viaB.revision();
            assertTrue(to - from > 10, "writes went on: " + (to - from));

            List<Event> events = log.awaitRevisions(from, to, to - from);
            Map<Long, Integer> times = new TreeMap<>();
            events.stream().filter(e -> e.revision() > from && e.revision() <= to)
                    .forEach(e -> times.merge(e.revision(), 1, Integer::sum));
            assertEquals(to - from, times.size(), "every committed change was published, those A committed and "
                    + "could not publish included");
            long repeated = times.values().stream().filter(n -> n > 1).count();
            System.out.printf("TwoInstancesIT: %d changes while A was killed, %d published twice%n", to - from,
                    repeated);
            assertTrue(times.values().stream().allMatch(n -> n <= 2) && repeated <= BATCH,
                    "at most the round A had not marked is published again: " + repeated);
            ProviderChangedLog.assertFirstDeliveriesInRevisionOrderPerKey(events, from);
        }
    }

    private static ServiceProcess process(String name) {
        Map<String, String> env = new HashMap<>(ServiceProcess.environment("DB_URL", db.get("url"), "DB_USER",
                db.get("user"), "DB_PASSWORD", db.get("password"), "KAFKA_BOOTSTRAP_SERVERS",
                GatewayInfraResource.kafkaBootstrapServers(), "GATEWAY_ADMIN_TOKEN", ADMIN, "GATEWAY_SERVICE_TOKEN",
                SERVICE, "PROVIDERS_DIR", "", "GATEWAY_MANAGED_PROVIDERS", "false", "GATEWAY_SECRETS_KEY",
                Base64.getEncoder().encodeToString(new byte[32]), "REGISTRY_MODEL_DISCOVERY_INTERVAL", "off",
                "REGISTRY_DASHBOARD_LOGIN_FAILURES_PER_MINUTE", Integer.toString(LOGIN_FAILURES),
                "REGISTRY_OUTBOX_BATCH_SIZE", Integer.toString(BATCH)));
        return new ServiceProcess(name, ServiceProcess.jar("registry.jar"), env);
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:" + db.get("url"), db.get("user"), db.get("password"));
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
