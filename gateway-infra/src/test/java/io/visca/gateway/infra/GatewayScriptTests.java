package io.visca.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./gateway.sh} with several routers ({@code ROUTER_REPLICAS}), where it decides without starting a service:
 * what it refuses before anything starts, and that {@code status} and {@code down} find every router by its pid
 * file, also without the variable. The script runs for real in a state folder of its own; the "routers" of the
 * status and down cases are {@code sleep} processes standing in their pid files. Starting real routers is shown by
 * {@code system-tests}' {@code SeveralRoutersTests} and by hand (the root README).
 */
class GatewayScriptTests {

    private static final Path SCRIPT = Path.of("..", "gateway.sh").toAbsolutePath().normalize();

    @TempDir
    Path state;

    @ParameterizedTest
    @CsvSource({ "ROUTER_REPLICAS,0", "BILLING_REPLICAS,21", "HEALTH_MONITOR_REPLICAS,three", "REGISTRY_REPLICAS,-1",
            "ROUTER_REPLICAS,2 3" })
    void refusesReplicasOutsideOneToTwenty(String variable, String replicas) throws Exception {
        Result up = gateway(ports(Ports.free(), Ports.free(), Map.of(variable, replicas)), "up");
        assertEquals(1, up.exit, up.output);
        assertTrue(up.output.contains(variable + " must be a whole number from 1 to 20"), up.output);
        assertTrue(up.output.contains("'" + replicas + "'"), "names the value: " + up.output);
        assertNothingStarted();
    }

    @Test
    void refusesAPortPlannedTwice() throws Exception {
        int router = Ports.free();
        // router-3 would listen on ROUTER_PORT+200, the first router's management port
        Result up = gateway(ports(router, router + 200, Map.of("ROUTER_REPLICAS", "3")), "up");
        assertEquals(1, up.exit, up.output);
        assertTrue(up.output.contains("port " + (router + 200)
                + " is planned twice: ROUTER_PORT+200 and ROUTER_MANAGEMENT_PORT"), up.output);
        assertNothingStarted();
    }

    @Test
    void refusesARouterPortInUseBeforeStartingAnything() throws Exception {
        int router = Ports.free();
        int management = Ports.free();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), router + 100));
            Result up = gateway(ports(router, management, Map.of("ROUTER_REPLICAS", "2")), "up");
            assertEquals(1, up.exit, up.output);
            assertTrue(up.output.contains("port " + (router + 100)
                    + " for router-2 is taken (set ROUTER_PORT: router-2 is on ROUTER_PORT+100)"), up.output);
        }
        assertNothingStarted();
    }

    @Test
    void statusAndDownCoverEveryInstanceWithAPidFileWithoutTheVariables() throws Exception {
        int router = Ports.free();
        int management = Ports.free();
        List<Process> routers = new ArrayList<>();
        Path pids = Files.createDirectories(state.resolve("pids"));
        try {
            for (String name : List.of("router", "router-2", "router-3", "registry-2", "health-monitor-2",
                    "billing-2")) {
                Process stand = new ProcessBuilder("sleep", "300").start();
                routers.add(stand);
                Files.writeString(pids.resolve(name + ".pid"), stand.pid() + "\n");
            }
            Map<String, String> environment = ports(router, management, Map.of());

            Result status = gateway(environment, "status");
            assertEquals(0, status.exit, status.output);
            for (int i = 0; i < 3; i++) {
                String name = i == 0 ? "router" : "router-" + (i + 1);
                String line = status.output.lines().filter(l -> l.startsWith(name + " ")).findFirst().orElse("");
                assertEquals(String.format("%-15s running (pid %d), NOT ready on http://127.0.0.1:%d (management :%d)",
                        name, routers.get(i).pid(), router + 100 * i, management + 100 * i), line, status.output);
            }
            for (String other : List.of("registry", "health-monitor", "billing")) {
                assertTrue(status.output.contains(String.format("%-15s stopped", other)), status.output);
                assertTrue(status.output.lines().anyMatch(l -> l.startsWith(other + "-2 ") && l.contains("running (pid ")
                        && l.contains("NOT ready on http://127.0.0.1:" + (port(environment, other) + 100))),
                        "instance 2 of " + other + " on its port + 100: " + status.output);
            }

            Result down = gateway(environment, "down");
            assertEquals(0, down.exit, down.output);
            assertTrue(down.output.contains("stopped router\nstopped router-2\nstopped router-3\n"), down.output);
            for (String other : List.of("registry-2", "health-monitor-2", "billing-2")) {
                assertTrue(down.output.contains("stopped " + other + "\n"), down.output);
            }
            for (Process stand : routers) {
                assertTrue(stand.waitFor(10, TimeUnit.SECONDS), "SIGTERM reached pid " + stand.pid());
            }
            try (var left = Files.list(pids)) {
                assertEquals(List.of(), left.toList(), "pid files removed");
            }
        } finally {
            routers.forEach(Process::destroyForcibly);
        }
    }

    private static int port(Map<String, String> environment, String service) {
        return Integer.parseInt(environment.get(service.toUpperCase().replace('-', '_') + "_PORT"));
    }

    /** The services' ports: the router's as given, the others free ones (none of this machine's gateways). */
    private static Map<String, String> ports(int router, int routerManagement, Map<String, String> more) {
        Map<String, String> environment = new HashMap<>(more);
        environment.put("ROUTER_PORT", Integer.toString(router));
        environment.put("ROUTER_MANAGEMENT_PORT", Integer.toString(routerManagement));
        for (String service : List.of("REGISTRY", "HEALTH_MONITOR", "BILLING")) {
            environment.put(service + "_PORT", Integer.toString(Ports.free()));
            environment.put(service + "_MANAGEMENT_PORT", Integer.toString(Ports.free()));
        }
        return environment;
    }

    private void assertNothingStarted() throws IOException {
        assertFalse(Files.exists(state.resolve("logs/infra.log")), "the infrastructure was not started");
        if (Files.isDirectory(state.resolve("pids"))) {
            try (var pids = Files.list(state.resolve("pids"))) {
                assertEquals(List.of(), pids.toList(), "no service was started");
            }
        }
    }

    private record Result(int exit, String output) {
    }

    /** Runs {@code gateway.sh} with this test's state folder and the given variables, none inherited of the same names. */
    private Result gateway(Map<String, String> variables, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("ROUTER_") || name.startsWith("REGISTRY_")
                || name.startsWith("HEALTH_MONITOR_") || name.startsWith("BILLING_") || name.startsWith("GATEWAY_")
                || name.equals("PROVIDERS_DIR"));
        builder.environment().putAll(variables);
        builder.environment().put("GATEWAY_STATE_DIR", state.toString());
        // should a check that comes first let it through, up stops at this (before it builds or starts anything)
        builder.environment().put("PROVIDERS_DIR", state.resolve("no-such-folder").toString());
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "gateway.sh " + String.join(" ", args) + " ended");
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
