package io.visca.gateway.router.config;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.visca.gateway.kit.outbound.OutboundConfig;
import io.visca.gateway.kit.secrets.SecretsConfig;
import io.visca.gateway.snapshot.SnapshotClientConfig;

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

    /** The outbound URL policy every call to a provider obeys ({@code GATEWAY_OUTBOUND_*}). */
    OutboundConfig outbound();

    Anthropic anthropic();

    Replicate replicate();

    CircuitBreaker circuitBreaker();

    Routing routing();

    Quota quota();

    HealthEvents healthEvents();

    /** Provider secrets: references, where they resolve from, the key of literal secrets at rest. */
    SecretsConfig secrets();

    Jq jq();

    /**
     * Bounds of custom providers' jq transforms, per evaluation. An evaluation starts on the event loop with the
     * small inline budget (a normal transform takes a few hundred steps); one that needs more is run again from the
     * start on a bounded worker pool with the full budget, so a heavy or hostile program never holds an event loop.
     */
    interface Jq {
        /** Steps an evaluation may take on the event loop before it moves to the worker pool. */
        @WithDefault("20000")
        long inlineMaxSteps();

        @WithDefault("10000000")
        long maxSteps();

        @WithDefault("1s")
        Duration timeout();

        /** Bytes one evaluation may allocate (4 MiB at most on the event loop). */
        @WithDefault("67108864")
        long maxMemory();

        /** Threads of the worker pool. */
        @WithDefault("2")
        int workers();

        /** Evaluations waiting for a worker at most; beyond, a request gets 503 (retryable). */
        @WithDefault("64")
        int maxQueued();
    }

    interface HealthEvents {
        /**
         * How long readiness waits for the endpoints' health from {@code provider-health-changed} before the router
         * serves without it (Kafka unreachable at start).
         */
        @WithDefault("PT15S")
        Duration catchUpTimeout();
    }

    /** The registry snapshot client's settings (gateway-snapshot-client: refresh interval, backoff). */
    interface Registry extends SnapshotClientConfig {
        /** Bearer token of the registry's {@code /internal} API. */
        String serviceToken();
    }

    interface Upstream {
        /**
         * Largest single line or SSE event of an upstream stream; a stream that sends more without a line end is
         * ended with an error (a final chunk with a large tool-call arguments string fits well within the default).
         */
        @WithDefault("1048576")
        int maxEventBytes();

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

        /**
         * {@code ROUTER_ROUTING_FAIL_OPEN}: when no candidate provider of a request has a healthy endpoint, route over
         * their endpoints anyway, as if healthy, and mark the response {@code x-visca-health: fail-open} (Envoy's panic
         * mode); {@code false}: answer 503 {@code no_available_provider}.
         */
        @WithDefault("true")
        boolean failOpen();
    }

    interface Replicate {
        /**
         * How long a prediction may hold the create call ({@code Prefer: wait}) before the router polls it; Replicate
         * allows up to 60 s.
         */
        @WithDefault("PT60S")
        Duration maxWait();

        /**
         * Hosts a prediction's {@code urls.stream} may be on besides the endpoint's own origin ({@code https} only;
         * {@code *.example.com} matches subdomains): Replicate serves streams from hosts of its own. Such a stream is
         * fetched without the provider's credentials, as Replicate's own clients do (it is a capability URL).
         * {@code none}: the endpoint's origin only.
         */
        @WithDefault("stream.replicate.com,*.replicate.net")
        List<String> streamHosts();
    }

    interface Anthropic {
        /** {@code max_tokens} sent when the client gives none (the Messages API requires it). */
        @WithDefault("4096")
        int defaultMaxTokens();

        @WithDefault("2023-06-01")
        String version();
    }

    /**
     * Key governance: budgets and rate limits of keys and teams are lent to this router by the quota store (billing's
     * {@code /internal/quota}) in slices, so admission needs no round trip per request and holds across routers.
     */
    interface Quota {
        /** The quota store's base URL ({@code BILLING_URL}). */
        @WithDefault("http://127.0.0.1:8083")
        String storeUrl();

        /** A budget lease asks for this fraction of the budget (the store gives less when little is left). */
        @WithDefault("0.05")
        double budgetSlice();

        /** A rate grant asks for this fraction of the limit per minute. */
        @WithDefault("0.02")
        double rateChunk();

        /**
         * Completion tokens reserved for a budgeted key's request that sets no {@code max_tokens} (nor
         * {@code max_completion_tokens}); the request is sent upstream with this cap, so it cannot cost more.
         */
        @WithDefault("4096")
        int defaultMaxTokens();

        /** How often leases are held on, idle ones given back and finished windows dropped. */
        @WithDefault("PT1S")
        Duration tick();

        /** A key's leases unused this long are given back, for other routers to use. */
        @WithDefault("PT3S")
        Duration idleRelease();

        /**
         * How long a request whose maximum cost does not fit its budget now may wait for leases other requests hold
         * to come back (it would fit if they did) before it is refused with 429.
         */
        @WithDefault("PT8S")
        Duration maxWait();

        /** How long a call to the quota store may take before the requests waiting on it fail with 503. */
        @WithDefault("PT5S")
        Duration storeTimeout();
    }
}
