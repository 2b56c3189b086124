package io.visca.gateway.registry.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.visca.gateway.kit.admin.security.TokenThrottleConfig;
import io.visca.gateway.kit.outbound.OutboundConfig;
import io.visca.gateway.kit.secrets.SecretsConfig;

/** Everything the registry reads from its configuration (environment variables in production). */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    /** Bearer token of the {@code /api} admin API ({@code GATEWAY_ADMIN_TOKEN}). */
    String adminToken();

    /** Bearer token of the service-to-service {@code /internal} API ({@code GATEWAY_SERVICE_TOKEN}). */
    String serviceToken();

    /** Folder of {@code *.json} provider configs created at start when missing ({@code PROVIDERS_DIR}). */
    Optional<String> providersDir();

    ManagedProviders managedProviders();

    /**
     * The managed (built-in) providers seeded at start: {@code GATEWAY_MANAGED_PROVIDERS} ({@code false}: none) and
     * {@code GATEWAY_MANAGED_PROVIDERS_FILE} (a catalogue replacing the built-in {@code managed/managed-providers.json}).
     */
    interface ManagedProviders {
        @WithDefault("true")
        boolean enabled();

        Optional<String> file();
    }

    /** Base URL of the health monitor the dashboard reads endpoint health from ({@code HEALTH_MONITOR_URL}). */
    @WithDefault("http://127.0.0.1:8082")
    String healthMonitorUrl();

    /** Base URL of billing the dashboard reads usage from ({@code BILLING_URL}). */
    @WithDefault("http://127.0.0.1:8083")
    String billingUrl();

    /** Base URL of the router the dashboard's playground calls ({@code ROUTER_URL}). */
    @WithDefault("http://127.0.0.1:8080")
    String routerUrl();

    /**
     * How long {@code GET /api/keys/{id}} and {@code GET /api/teams/{name}} wait for billing's quota store before
     * they show the budget without its spend ({@code spend_unavailable}).
     */
    @WithDefault("2s")
    Duration budgetTimeout();

    Outbox outbox();

    Dashboard dashboard();

    TestConnection testConnection();

    Discovery discovery();

    /**
     * Provider secrets: which references resolve, and from where (the names are also checked when a provider is
     * saved), and the key that encrypts literal secrets at rest.
     */
    SecretsConfig secrets();

    /** The outbound URL policy every call to a provider obeys ({@code GATEWAY_OUTBOUND_*}). */
    OutboundConfig outbound();

    Jq jq();

    /** Failed bearer-token attempts on {@code /api} and {@code /internal} per client address. */
    TokenThrottleConfig tokenThrottle();

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

        /** Events read and published per round: at most this many are published again after a relay died. */
        @WithDefault("100")
        int batchSize();

        /**
         * How long a round waits for the relay lock another instance holds before it leaves the outbox to that
         * instance (the next trigger or poll tries again).
         */
        @WithDefault("10s")
        Duration lockWait();

        /**
         * How long the relaying instance's transaction may stay silent before PostgreSQL ends its session and frees
         * the relay lock for another instance ({@code idle_in_transaction_session_timeout}): the handover bound when
         * the relaying instance goes silent without its connection closing (host lost, process frozen). Longer than
         * one publish may take (the producer's {@code max.block.ms} + {@code delivery.timeout.ms}: 40 s), so a live
         * relay is never cut off while a send is under way.
         */
        @WithDefault("60s")
        Duration idleTimeout();
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

        /**
         * Monitoring's actual vs configured cost: a reported cost that differs from the configured one by more than
         * this fraction of it (0.05 = 5%) is highlighted.
         */
        @WithDefault("0.05")
        java.math.BigDecimal reconciliationTolerance();
    }

    /**
     * Bounds of each run of a custom provider's jq transform (saving a provider runs each program once on a sample;
     * Test Connection runs them on the real exchange). The registry runs them on its event loop, hence the short time.
     */
    interface Jq {
        @WithDefault("1000000")
        long maxSteps();

        @WithDefault("250ms")
        Duration timeout();

        /** Bytes one run may allocate. */
        @WithDefault("33554432")
        long maxMemory();
    }

    interface TestConnection {
        /** Upper bound of each upstream call of "Test Connection", connect included. */
        @WithDefault("10s")
        Duration timeout();

        /** Connect timeout when the provider sets none. */
        @WithDefault("5s")
        Duration connectTimeout();
    }

    /** Model discovery of providers saved without {@code models} (see {@code discovery/service/ModelDiscovery}). */
    interface Discovery {
        /** {@code REGISTRY_MODEL_DISCOVERY_INTERVAL}: how often every such provider is listed again; {@code off}: never. */
        @WithDefault("5m")
        String interval();

        /** {@code REGISTRY_MODEL_DISCOVERY_TIMEOUT}: upper bound of each listing call, connect included. */
        @WithDefault("10s")
        Duration timeout();
    }
}
