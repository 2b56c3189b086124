package io.visca.gateway.billing.finance.mapping;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/usage/timeseries}: one bucket per minute, hour or day (UTC) from the one holding {@code from} to
 * the one holding the last instant before {@code to}, empty ones included; only requests in [from, to) count, so the
 * first and last bucket may cover part of their span.
 *
 * @param bucket {@code minute}, {@code hour} or {@code day}
 */
public record UsageTimeseries(Instant from, Instant to, String bucket, String currency,
        List<TimeseriesBucket> buckets) {
}
