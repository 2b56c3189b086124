package io.visca.gateway.registry.dashboard.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.visca.gateway.registry.config.RegistryConfig;

/**
 * Slows down guessing of the admin token: after {@code registry.dashboard.login-failures-per-minute} failed logins
 * from one client address within a minute, further attempts from it are refused until the minute is over.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final long WINDOW_MS = 60_000;
    private static final int MAX_TRACKED = 10_000;

    private final int limit;
    private final Map<String, long[]> failures = new ConcurrentHashMap<>();

    LoginThrottle(RegistryConfig config) {
        this.limit = config.dashboard().loginFailuresPerMinute();
    }

    /** Whether this client may try to log in now. */
    public boolean allowed(String client) {
        long[] window = failures.get(client);
        return window == null || System.currentTimeMillis() - window[0] > WINDOW_MS || window[1] < limit;
    }

    public void failed(String client) {
        long now = System.currentTimeMillis();
        if (failures.size() > MAX_TRACKED) {
            failures.values().removeIf(w -> now - w[0] > WINDOW_MS);
        }
        failures.compute(client, (k, w) -> w == null || now - w[0] > WINDOW_MS ? new long[] { now, 1 }
                : new long[] { w[0], w[1] + 1 });
    }

    public void succeeded(String client) {
        failures.remove(client);
    }
}
