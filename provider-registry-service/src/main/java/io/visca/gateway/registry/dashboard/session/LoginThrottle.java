package io.visca.gateway.registry.dashboard.session;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.visca.gateway.kit.admin.security.TokenThrottle;
import io.visca.gateway.registry.config.RegistryConfig;

/**
 * Slows down guessing of the admin token: after {@code registry.dashboard.login-failures-per-minute} failed logins
 * from one client address within a minute, further attempts from it are refused until the minute is over. The same
 * bounded table as the API's bearer-token throttle ({@link TokenThrottle}), with the login's own count.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final int MAX_TRACKED = 10_000;

    private final TokenThrottle throttle;

    LoginThrottle(RegistryConfig config) {
        this.throttle = new TokenThrottle(config.dashboard().loginFailuresPerMinute(), Duration.ofMinutes(1),
                MAX_TRACKED, System::currentTimeMillis);
    }

    /** Whether this client may try to log in now. */
    public boolean allowed(String client) {
        return throttle.retryAfterSeconds(client) == 0;
    }

    public void failed(String client) {
        throttle.failed(client);
    }

    public void succeeded(String client) {
        throttle.succeeded(client);
    }
}
