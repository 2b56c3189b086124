package io.visca.gateway.health.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The health monitor's settings ({@code health.*} in application.properties). */
@ConfigMapping(prefix = "health")
public interface HealthConfig {

    /**
     * {@code GATEWAY_SERVICE_TOKEN}: the bearer token this service presents to the registry's {@code /internal} API
     * and the one its own {@code /api} accepts.
     */
    String serviceToken();

    /** How many recent transitions {@code /api/health} shows per endpoint. */
    @WithDefault("20")
    int transitionsKept();

    Transitions transitions();

    Registry registry();

    Probe probe();

    Events events();

    Alert alert();

    TokenThrottle tokenThrottle();

    /**
     * Wrong bearer tokens per client address: after {@code max-failures} within {@code window}, the address gets 429
     * (even with the right token) until the window that started with its first failure is over.
     */
    interface TokenThrottle {
        @WithDefault("10")
        int maxFailures();

        @WithDefault("1m")
        Duration window();

        /** Client addresses tracked at most; beyond, the oldest are forgotten. */
        @WithDefault("10000")
        int maxClients();
    }

    /** The transition history of {@code /api/health/transitions} (in memory, empty after a restart). */
    interface Transitions {
        /** At most this many transitions are kept per endpoint (the oldest go first). */
        @WithDefault("500")
        int maxPerEndpoint();

        /** Transitions older than this are forgotten. */
        @WithDefault("7d")
        Duration maxAge();
    }

    interface Registry {
        /** How often the snapshot is refetched even without a provider-changed event (a safety net). */
        @WithDefault("PT30S")
        Duration refreshInterval();

        /** First delay between attempts while the registry does not answer; doubles up to {@link #maxBackoff()}. */
        @WithDefault("PT0.5S")
        Duration initialBackoff();

        @WithDefault("PT10S")
        Duration maxBackoff();
    }

    interface Probe {
        /** Pooled connections kept per endpoint (host and port). */
        @WithDefault("4")
        int maxConnectionsPerEndpoint();

        /** Idle pooled connections are closed after this. */
        @WithDefault("PT60S")
        Duration keepAliveTimeout();

        /** How long an OAuth2 token request may take. */
        @WithDefault("PT10S")
        Duration tokenTimeout();

        @WithDefault("visca-health-monitor")
        String userAgent();
    }

    interface Events {
        /** First delay before publishing again after Kafka failed; doubles up to {@link #maxBackoff()}. */
        @WithDefault("PT1S")
        Duration initialBackoff();

        @WithDefault("PT30S")
        Duration maxBackoff();

        /** Events sent at once in one publishing round. */
        @WithDefault("256")
        int batchSize();
    }

    interface Alert {
        /** {@code HEALTH_ALERT_WEBHOOK_URL}: each transition is POSTed here as JSON; absent, no alerts. */
        Optional<String> webhookUrl();

        /** Attempts per transition (the first and its retries). */
        @WithDefault("4")
        int maxAttempts();

        /** Delay before the first retry; doubles with each further one. */
        @WithDefault("PT1S")
        Duration initialBackoff();

        /** How long one attempt may take. */
        @WithDefault("PT5S")
        Duration timeout();
    }
}
