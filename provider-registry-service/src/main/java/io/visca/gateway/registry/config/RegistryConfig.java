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

    Outbox outbox();

    TestConnection testConnection();

    interface Outbox {
        /** How often the relay looks for unpublished events besides the trigger after each commit. */
        @WithDefault("5s")
        Duration pollInterval();

        /** Events read and published per round. */
        @WithDefault("100")
        int batchSize();
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
