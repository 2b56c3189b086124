package io.visca.gateway.billing.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.visca.gateway.kit.admin.security.TokenThrottleConfig;
import io.visca.gateway.kit.outbound.OutboundConfig;

/** Everything billing reads from its configuration (environment variables in production). */
@ConfigMapping(prefix = "billing")
public interface BillingConfig {

    /** Bearer token of the {@code /api} finance API ({@code GATEWAY_ADMIN_TOKEN}). */
    Optional<String> adminToken();

    /** A second bearer token that opens only billing's API ({@code BILLING_API_TOKEN}). */
    Optional<String> apiToken();

    /**
     * Bearer token of {@code /internal} (the quota store the routers call: {@code GATEWAY_SERVICE_TOKEN}). Without it
     * {@code /internal} answers every call with 401, so routers cannot lease budgets.
     */
    Optional<String> serviceToken();

    Ingest ingest();

    Retention retention();

    Partitions partitions();

    Api api();

    Quota quota();

    Alerts alerts();

    /**
     * The outbound URL policy the budget alert webhook obeys ({@code GATEWAY_OUTBOUND_*}, as in the registry, router
     * and health monitor).
     */
    OutboundConfig outbound();

    /** Wrong bearer tokens per client address. */
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

    interface Ingest {
        /** First pause before a failed database write of a batch is tried again; doubles up to the maximum. */
        @WithDefault("PT0.5S")
        Duration initialBackoff();

        @WithDefault("PT30S")
        Duration maxBackoff();
    }

    interface Retention {
        /** Raw usage records older than this are deleted; {@code 0} keeps them. The hourly rollup is kept. */
        @WithDefault("90d")
        Duration rawRecords();

        /** How often the retention job runs. */
        @WithDefault("1h")
        Duration interval();

        /** Rows deleted per statement, so a large purge holds no long lock. */
        @WithDefault("10000")
        int deleteBatchSize();
    }

    /** The raw records' monthly partitions, made ahead of the time they are needed. */
    interface Partitions {
        /** Monthly partitions are made up to this far ahead of now (rows beyond go to the default partition). */
        @WithDefault("90d")
        Duration ahead();

        /** How often the partition job runs (also once at start). */
        @WithDefault("1h")
        Duration interval();
    }

    /** The quota store ({@code /internal/quota}): budget leases and rate grants for the routers. */
    interface Quota {
        /**
         * How long a budget lease lasts unless its router holds it on (each exchange that names it in {@code held}
         * extends it by this much). A router admits nothing under a lease after it expires.
         */
        @WithDefault("60s")
        Duration leaseTime();

        /**
         * How long after its expiry an open lease is reclaimed (its charge drops to what the ledger billed under it).
         * Must be longer than any request can last: a request admitted just before the expiry still settles on it.
         */
        @WithDefault("15m")
        Duration reclaimGrace();

        /** How often the reclaim job runs (reclaims expired leases, deletes old rate windows and folded leases). */
        @WithDefault("10s")
        Duration reclaimInterval();

        /** Rate windows (UTC minutes) older than this are deleted. */
        @WithDefault("10m")
        Duration rateWindowRetention();

        /**
         * Released or reclaimed leases whose charge equals what was billed under them are folded into their counter
         * and deleted this long after they closed; a usage event naming one later is stored but not settled.
         */
        @WithDefault("2d")
        Duration closedLeaseRetention();

        /** The most asks one exchange may carry; the most leases it may release or hold. */
        @WithDefault("500")
        int maxAsks();

        @WithDefault("5000")
        int maxLeases();
    }

    /** Spend alerts: thresholds crossed by a budget's spend, posted to a webhook. */
    interface Alerts {
        /**
         * {@code BUDGET_ALERT_WEBHOOK_URL}: where each alert is posted (http or https). Unset: alerts are only stored
         * (and the API shows them). The URL is never logged: a webhook URL is often a secret itself.
         */
        Optional<String> webhookUrl();

        /** {@code BUDGET_ALERT_WEBHOOK_SECRET}: signs each body (HMAC-SHA256, {@code x-visca-signature}). */
        Optional<String> webhookSecret();

        /** How often the delivery job looks for alerts to post. */
        @WithDefault("5s")
        Duration deliveryInterval();

        /** The longest one post may take (connecting included) before it counts as failed. */
        @WithDefault("10s")
        Duration timeout();

        /** The pause after a first failed post; doubles with each failure up to the maximum. */
        @WithDefault("10s")
        Duration initialBackoff();

        @WithDefault("10m")
        Duration maxBackoff();

        /** At most this many alerts are posted per run (at once). */
        @WithDefault("20")
        int batchSize();
    }

    interface Api {
        /** The longest range {@code group_by=hour} may cover. */
        @WithDefault("92d")
        Duration maxHourlyRange();

        /** The most buckets one time series may have. */
        @WithDefault("2000")
        int maxBuckets();

        /** Records per page when {@code limit} is not given. */
        @WithDefault("100")
        int defaultLimit();

        @WithDefault("1000")
        int maxLimit();

        /** Rows read per query while the CSV export streams. */
        @WithDefault("1000")
        int exportPageSize();
    }
}
