package io.visca.gateway.registry.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything the registry reads from its configuration (environment variables in production). */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    /** Bearer token of the {@code /api} admin API ({@code GATEWAY_ADMIN_TOKEN}). */
    String adminToken();

    /** Bearer token of the service-to-service {@code /internal} API ({@code GATEWAY_SERVICE_TOKEN}). */
    String serviceToken();

    /** Folder of {@code *.json} provider configs created at start when missing ({@code PROVIDERS_DIR}). */
    Optional<String> providersDir();

    /** Base URL of the health monitor the dashboard reads endpoint health from ({@code HEALTH_MONITOR_URL}). */
    @WithDefault("http://127.0.0.1:8082")
    String healthMonitorUrl();

    /** Base URL of billing the dashboard reads usage from ({@code BILLING_URL}). */
    @WithDefault("http://127.0.0.1:8083")
    String billingUrl();

    /** Base URL of the router the dashboard's playground calls ({@code ROUTER_URL}). */
    @WithDefault("http://127.0.0.1:8080")
    String routerUrl();

    Outbox outbox();

    Dashboard dashboard();

    TestConnection testConnection();

    /**
     * The database: only its password ({@code DB_PASSWORD}, through {@code quarkus.datasource.password}), so that it is
     * required. Quarkus's own is optional (a server may trust local connections), and without DB_PASSWORD the service
     * would start on no password at all; here a missing or empty one fails the start before anything connects.
     */
    Database database();

    interface Database {
        /** A secret: never logged, never returned. */
        String password();
    }

    interface Outbox {
        /** How often the relay looks for unpublished events besides the trigger after each commit. */
        @WithDefault("5s")
        Duration pollInterval();

        /** Events read and published per round. */
        @WithDefault("100")
        int batchSize();
    }

    interface Dashboard {
        /** How long a dashboard login lasts. */
        @WithDefault("8h")
        Duration sessionTtl();

        /** Failed logins per client address and minute before the login answers 429 for the rest of the minute. */
        @WithDefault("10")
        int loginFailuresPerMinute();

        /** Timeout of each call to the health monitor and billing (the page renders a banner after it). */
        @WithDefault("2s")
        Duration backendTimeout();

        /**
         * How long after creating its key the playground keeps sending again on a 401 from the router, which learns
         * new keys from the registry's next event (within a second while Kafka is up).
         */
        @WithDefault("10s")
        Duration playgroundKeyPropagation();
    }

    interface TestConnection {
        /** Upper bound of each upstream call of "Test Connection", connect included. */
        @WithDefault("10s")
        Duration timeout();

        /** Connect timeout when the provider sets none. */
        @WithDefault("5s")
        Duration connectTimeout();
    }
}
