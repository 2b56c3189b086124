package io.visca.gateway.billing.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.visca.gateway.kit.admin.security.TokenThrottleConfig;

/** Everything billing reads from its configuration (environment variables in production). */
@ConfigMapping(prefix = "billing")
public interface BillingConfig {

    /** Bearer token of the {@code /api} finance API ({@code GATEWAY_ADMIN_TOKEN}). */
    Optional<String> adminToken();

    /** A second bearer token that opens only billing's API ({@code BILLING_API_TOKEN}). */
    Optional<String> apiToken();

    Ingest ingest();

    Retention retention();

    Api api();

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
