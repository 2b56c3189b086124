package io.visca.gateway.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for servers a test or the local run starts.
 *
 * <p>
 * Ports come from below Linux's ephemeral range (32768–60999 by default), never from it: a port the kernel hands
 * out for {@code bind(0)} is also the pool outgoing connections take their local ports from, so under a load test's
 * thousands of connections a port chosen that way could be taken by a client socket before the server binds it (a
 * process then dies at start with "address already in use"). A port is handed out once per JVM and only after a
 * bind on every interface succeeded.
 */
public final class Ports {

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    public static synchronized int free() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tries = 0; tries < 1_000; tries++) {
            int port = random.nextInt(LOWEST, HIGHEST);
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + HIGHEST);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
