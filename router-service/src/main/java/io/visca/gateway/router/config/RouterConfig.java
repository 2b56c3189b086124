package io.visca.gateway.router.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The router's settings ({@code router.*} in application.properties). */
@ConfigMapping(prefix = "router")
public interface RouterConfig {

    /** Largest request body /v1 accepts; a larger one gets 413. */
    @WithDefault("8388608")
    int maxRequestBytes();

    /** Largest non-streaming upstream response the router reads (it needs the whole body for usage). */
    @WithDefault("67108864")
    int maxResponseBytes();

    /**
     * What clients learn about upstreams ({@code ROUTER_EXPOSE_UPSTREAM_DETAILS}). True: {@code x-visca-endpoint} and
     * error messages name the endpoint by its id (by default the host and port of its {@code base_url}), and errors
     * quote the provider's own message. False, for deployments that serve outsiders: an endpoint is named by the id
     * its operator gave it, else by its position ({@code #1}, {@code #2}, ...), and errors carry no upstream host,
     * port, URL or text (the provider's name, the status and the error code remain).
     */
    @WithDefault("true")
    boolean exposeUpstreamDetails();

    Registry registry();

    Upstream upstream();

    Anthropic anthropic();

    Replicate replicate();

    CircuitBreaker circuitBreaker();

    Routing routing();

    HealthEvents healthEvents();

    interface HealthEvents {
        /**
         * How long readiness waits for the endpoints' health from {@code provider-health-changed} before the router
         * serves without it (Kafka unreachable at start).
         */
        @WithDefault("PT15S")
        Duration catchUpTimeout();
    }

    interface Registry {
        /** Bearer token of the registry's {@code /internal} API. */
        String serviceToken();

        /** How often the snapshot is refetched even without a provider-changed event (a safety net). */
        @WithDefault("PT30S")
        Duration refreshInterval();

        /** First delay between attempts while the registry does not answer; doubles up to {@link #maxBackoff()}. */
        @WithDefault("PT0.5S")
        Duration initialBackoff();

        @WithDefault("PT10S")
        Duration maxBackoff();
    }

    interface Upstream {
        /** Connections kept per endpoint (host and port). */
        @WithDefault("500")
        int maxConnectionsPerEndpoint();

        /** Idle pooled connections are closed after this. */
        @WithDefault("PT60S")
        Duration keepAliveTimeout();

        /** Upstream error bodies are quoted in errors (debugging only: they may echo the prompt). */
        @WithDefault("false")
        boolean includeUpstreamBodies();
    }

    /** Passive health: a circuit breaker per endpoint. */
    interface CircuitBreaker {
        /** Consecutive failed calls (connection, timeout, 5xx) that open an endpoint's circuit. */
        @WithDefault("5")
        int failureThreshold();

        /** How long an open circuit keeps requests away before one trial request is let through. */
        @WithDefault("PT30S")
        Duration cooldown();
    }

    interface Routing {
        /**
         * Completion tokens a cost estimate assumes when the request sets no {@code max_tokens} (cost-optimized
         * routing).
         */
        @WithDefault("256")
        int assumedCompletionTokens();
    }

    interface Replicate {
        /**
         * How long a prediction may hold the create call ({@code Prefer: wait}) before the router polls it; Replicate
         * allows up to 60 s.
         */
        @WithDefault("PT60S")
        Duration maxWait();
    }

    interface Anthropic {
        /** {@code max_tokens} sent when the client gives none (the Messages API requires it). */
        @WithDefault("4096")
        int defaultMaxTokens();

        @WithDefault("2023-06-01")
        String version();
    }
}
