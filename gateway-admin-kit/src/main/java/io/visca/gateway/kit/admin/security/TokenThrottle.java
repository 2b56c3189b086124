package io.visca.gateway.kit.admin.security;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down guessing of a bearer token: failed attempts are counted per client address in a window that starts with
 * the address's first failure. Once an address has {@code maxFailures} in its window it is locked until the window
 * is over: every attempt from it is refused, the right token too, as a lock that let the right token through would
 * tell a guesser when it guessed right. A success before the lock resets the count. The lock is fixed-length, so a
 * client that shares its address with a guesser (a NAT) is locked out for at most one window after the guessing
 * stops.
 * <p>
 * Memory is bounded: at most {@code maxClients} addresses are tracked, expired windows are dropped first, then the
 * oldest (an attacker with more addresses than that can free a locked one early, not exhaust the heap).
 * <p>
 * Plain Java, no framework: {@link BearerTokenFilter} holds one per service, the registry's dashboard login another,
 * and tests drive the clock.
 */
public final class TokenThrottle {

    private final int maxFailures;
    private final long windowMillis;
    private final int maxClients;
    private final LongSupplier clock;
    /** Insertion order is window-start order: a new window re-inserts its address. */
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

    private static final class Window {
        final long start;
        int failures;

        Window(long start) {
            this.start = start;
        }
    }

    public TokenThrottle(int maxFailures, Duration window, int maxClients, LongSupplier clock) {
        if (maxFailures < 1 || window.isNegative() || window.isZero() || maxClients < 1) {
            throw new IllegalArgumentException("token throttle: max-failures, window and max-clients must be "
                    + "positive");
        }
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.maxClients = maxClients;
        this.clock = clock;
    }

    /** @return 0 when {@code client} may try now, else the whole seconds until it may (for {@code Retry-After}) */
    public synchronized long retryAfterSeconds(String client) {
        Window window = windows.get(client);
        if (window == null) {
            return 0;
        }
        long left = window.start + windowMillis - clock.getAsLong();
        if (left <= 0) {
            windows.remove(client);
            return 0;
        }
        return window.failures >= maxFailures ? Math.max(1, (left + 999) / 1000) : 0;
    }

    /** @return whether this failure locked {@code client} (for one log line per lock) */
    public synchronized boolean failed(String client) {
        long now = clock.getAsLong();
        Window window = windows.get(client);
        if (window == null || now - window.start >= windowMillis) {
            windows.remove(client);
            evict(now);
            window = new Window(now);
            windows.put(client, window);
        }
        return ++window.failures == maxFailures;
    }

    public synchronized void succeeded(String client) {
        if (!windows.isEmpty()) {
            windows.remove(client);
        }
    }

    /** Addresses tracked now (for tests). */
    synchronized int tracked() {
        return windows.size();
    }

    /** Room for one more address: expired windows first (they are the oldest), then the oldest. */
    private void evict(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext();) {
            if (now - it.next().start < windowMillis) {
                break;
            }
            it.remove();
        }
        while (windows.size() >= maxClients) {
            Iterator<Window> oldest = windows.values().iterator();
            oldest.next();
            oldest.remove();
        }
    }
}
