package io.visca.gateway.health.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.visca.gateway.kit.admin.security.TokenThrottleConfig;
import io.visca.gateway.kit.outbound.OutboundConfig;
import io.visca.gateway.kit.secrets.SecretsConfig;
import io.visca.gateway.snapshot.SnapshotClientConfig;

/** The health monitor's settings ({@code health.*} in application.properties). */
@ConfigMapping(prefix = "health")
public interface HealthConfig {

    /**
     * {@code GATEWAY_SERVICE_TOKEN}: the bearer token this service presents to the registry's {@code /internal} API
     * and the one its own {@code /api} accepts.
     */
    String serviceToken();

    /**
     * {@code GATEWAY_ADMIN_TOKEN}: the operators' token (the registry's admin API, billing's finance API), which this
     * service's read API {@code /api} accepts too; unset: only the service token.
     */
    Optional<String> adminToken();

    /** How many recent transitions {@code /api/health} shows per endpoint. */
    @WithDefault("20")
    int transitionsKept();

    Transitions transitions();

    /** The registry snapshot client's settings (gateway-snapshot-client: refresh interval, backoff). */
    SnapshotClientConfig registry();

    Probe probe();

    Events events();

    /** How the instances share the endpoints between them (a Kafka consumer group). */
    Shards shards();

    Alert alert();

    /** Provider secrets: references, where they resolve from, the key of literal secrets at rest. */
    SecretsConfig secrets();

    /** The outbound URL policy every call to a provider obeys ({@code GATEWAY_OUTBOUND_*}). */
    OutboundConfig outbound();

    /** Wrong bearer tokens per client address. */
    TokenThrottleConfig tokenThrottle();

    /**
     * The transition history of {@code /api/health/transitions}, read back from {@code provider-health-changed} by
     * every instance (which keeps every event younger than {@link #maxAge()}: {@code min.compaction.lag.ms}).
     */
    interface Transitions {
        /** At most this many transitions are kept per endpoint (the oldest go first). */
        @WithDefault("500")
        int maxPerEndpoint();

        /** Transitions older than this are forgotten. */
        @WithDefault("7d")
        Duration maxAge();
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

    /**
     * Probing is sharded: every instance joins one consumer group on the shard topic, and probes the endpoints whose
     * key ({@code provider/endpoint}) hashes (Kafka's murmur2, as the default partitioner) to a partition assigned to
     * it. An instance that dies is replaced after {@link #sessionTimeout()}; one that stops leaves the group at once.
     */
    interface Shards {
        /** {@code HEALTH_SHARDS_TOPIC}: the topic whose partitions are the shards; nothing is ever written to it. */
        @WithDefault("health-monitor-shards")
        String topic();

        /** {@code HEALTH_SHARDS_GROUP}: the consumer group every instance of one deployment joins. */
        @WithDefault("health-monitor")
        String group();

        /**
         * Partitions the shard topic is created with (a topic with fewer gets more): at most this many instances
         * share the endpoints; more instances stand by.
         */
        @WithDefault("12")
        int partitions();

        /** Without a heartbeat for this long an instance's shards go to the others (Kafka allows 6 s to 30 min). */
        @WithDefault("PT10S")
        Duration sessionTimeout();

        /** How often an instance heartbeats, and so learns of a rebalance (at most a third of the session timeout). */
        @WithDefault("PT1S")
        Duration heartbeatInterval();

        /** How long an instance giving shards up waits for Kafka to take their last events before it lets go. */
        @WithDefault("PT5S")
        Duration handoverTimeout();
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
