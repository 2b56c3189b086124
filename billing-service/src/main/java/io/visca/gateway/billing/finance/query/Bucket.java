package io.visca.gateway.billing.finance.query;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/** The width of a time series bucket; buckets start on whole UTC minutes, hours or days. */
public enum Bucket {
    MINUTE("minute", Duration.ofMinutes(1), "1 minute"),
    HOUR("hour", Duration.ofHours(1), "1 hour"),
    DAY("day", Duration.ofDays(1), "1 day");

    private final String parameter;
    private final Duration width;
    private final String interval;

    Bucket(String parameter, Duration width, String interval) {
        this.parameter = parameter;
        this.width = width;
        this.interval = interval;
    }

    public String parameter() {
        return parameter;
    }

    public Duration width() {
        return width;
    }

    /** As a PostgreSQL interval. */
    public String interval() {
        return interval;
    }

    /** The start of the bucket holding {@code t}. */
    public Instant floor(Instant t) {
        long seconds = width.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), seconds) * seconds);
    }

    /**
     * How many buckets cover [from, to): from the one holding {@code from} to the one holding the last microsecond
     * before {@code to}; 0 for an empty range.
     */
    public long count(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            return 0;
        }
        Instant last = floor(to.minusNanos(1_000));
        return Duration.between(floor(from), last).dividedBy(width) + 1;
    }

    public static Optional<Bucket> of(String parameter) {
        return Arrays.stream(values()).filter(b -> b.parameter.equals(parameter)).findFirst();
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Bucket::parameter).toList());
    }
}
