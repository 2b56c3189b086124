package io.visca.gateway.billing.finance.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.visca.gateway.billing.finance.query.Bucket;
import io.visca.gateway.billing.finance.query.Cursor;
import io.visca.gateway.billing.finance.query.GroupBy;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.kit.admin.error.Violation;

/**
 * Reads and checks the query parameters of one finance request, collecting every mistake; {@link #done()} then
 * throws a 400 naming each bad parameter. Unknown and repeated parameters are mistakes too: a misspelt filter must
 * not silently widen a finance query. Public for billing's other {@code /api} resources (budget alerts).
 */
public final class UsageParams {

    static final Set<String> STATUSES = Set.of("success", "error", "client_closed");
    private static final int MAX_TEXT = 256;
    /** Instants outside these years are refused (PostgreSQL and the defaults' arithmetic have limits). */
    private static final Instant EARLIEST = Instant.parse("1000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-01-01T00:00:00Z");

    private final Map<String, List<String>> query;
    private final List<Violation> violations = new ArrayList<>();

    public UsageParams(Map<String, List<String>> query, Set<String> allowed) {
        this.query = query;
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (!allowed.contains(parameter.getKey())) {
                violations.add(new Violation(parameter.getKey(), "unknown parameter; this endpoint takes "
                        + String.join(", ", new TreeSet<>(allowed))));
            } else if (parameter.getValue().size() > 1) {
                violations.add(new Violation(parameter.getKey(), "given more than once"));
            }
        }
    }

    private String raw(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * An ISO-8601 instant ({@code 2026-01-31T10:00:00Z}, or with an offset) or a date ({@code 2026-01-31}: its
     * start, UTC); null when absent.
     */
    Instant instant(String name) {
        String value = raw(name);
        if (value == null) {
            return null;
        }
        // a '+' of an offset arrives as a space when the client did not encode it
        String text = value.strip().replace(' ', '+');
        try {
            Instant instant = text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
            if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
                violations.add(new Violation(name, "must be within the years 1000 to 9998"));
                return null;
            }
            return instant;
        } catch (DateTimeParseException e) {
            violations.add(new Violation(name, "'" + shorten(value) + "' is neither an ISO-8601 instant "
                    + "(2026-01-31T10:00:00Z) nor a date (2026-01-31)"));
            return null;
        }
    }

    /** An exact-match filter: null when absent; 1 to 256 characters. */
    public String text(String name) {
        String value = raw(name);
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > MAX_TEXT) {
            violations.add(new Violation(name, "must be 1 to " + MAX_TEXT + " characters"));
            return null;
        }
        return value;
    }

    String status() {
        String value = raw("status");
        if (value != null && !STATUSES.contains(value)) {
            violations.add(new Violation("status", "'" + shorten(value) + "' is not one of "
                    + String.join(", ", new TreeSet<>(STATUSES))));
            return null;
        }
        return value;
    }

    Boolean bool(String name) {
        String value = raw(name);
        if (value == null) {
            return null;
        }
        if (!value.equals("true") && !value.equals("false")) {
            violations.add(new Violation(name, "must be true or false"));
            return null;
        }
        return Boolean.valueOf(value);
    }

    public int limit(int defaultLimit, int max) {
        String value = raw("limit");
        if (value == null) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        violations.add(new Violation("limit", "must be a whole number from 1 to " + max));
        return defaultLimit;
    }

    /** A cursor that is a position in a table (a positive whole number the API gave out); null when absent. */
    public Long position(String name) {
        String value = raw(name);
        if (value == null) {
            return null;
        }
        try {
            long position = Long.parseLong(value.strip());
            if (position > 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        violations.add(new Violation(name, "not a cursor this API gave out (use next_cursor as it is)"));
        return null;
    }

    Cursor cursor() {
        String value = raw("cursor");
        if (value == null) {
            return null;
        }
        try {
            return Cursor.decode(value);
        } catch (IllegalArgumentException e) {
            violations.add(new Violation("cursor", "not a cursor this API gave out (use next_cursor as it is)"));
            return null;
        }
    }

    /** The {@code group_by} dimensions in the order given (repeats ignored); empty for one total row. */
    List<GroupBy> groupBy() {
        String value = raw("group_by");
        List<GroupBy> groups = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return groups;
        }
        for (String name : value.split(",", -1)) {
            String trimmed = name.strip();
            GroupBy.of(trimmed).ifPresentOrElse(g -> {
                if (!groups.contains(g)) {
                    groups.add(g);
                }
            }, () -> violations.add(new Violation("group_by", "unknown group '" + shorten(trimmed)
                    + "'; use any of " + GroupBy.names() + ", comma-separated")));
        }
        return groups;
    }

    /** The time series' {@code bucket}: minute, hour or day; hour when absent. */
    Bucket bucket() {
        String value = raw("bucket");
        if (value == null) {
            return Bucket.HOUR;
        }
        return Bucket.of(value.strip()).orElseGet(() -> {
            violations.add(new Violation("bucket", "'" + shorten(value) + "' is not one of " + Bucket.names()));
            return Bucket.HOUR;
        });
    }

    /** At most {@code max} buckets over [from, to). */
    void bucketCount(Bucket bucket, Instant from, Instant to, int max) {
        if (from != null && to != null && !from.isAfter(to)) {
            long count = bucket.count(from, to);
            if (count > max) {
                violations.add(new Violation("bucket", "at most " + max + " buckets per call, and " + bucket.parameter()
                        + " buckets over from..to would be " + count + "; take a wider bucket or a shorter range"));
            }
        }
    }

    /**
     * A bound between two hours takes its partial hour from the raw records: they must still be there (within the
     * raw-record retention; {@code retention} zero keeps them for good).
     */
    void onTheHourOrRecent(String name, Instant value, Instant partialHourStart, Duration retention, Instant now) {
        if (value == null || value.truncatedTo(ChronoUnit.HOURS).equals(value) || retention.isZero()) {
            return;
        }
        if (partialHourStart.isBefore(now.minus(retention))) {
            violations.add(new Violation(name, "must be on the hour (summaries come from hourly totals, and the raw "
                    + "records of a partial hour are kept only " + describe(retention) + "), e.g. "
                    + value.truncatedTo(ChronoUnit.HOURS)));
        }
    }

    /** Rounds up to the microsecond, the ledger's precision: [from, to) then selects the same records. */
    static Instant ceilMicros(Instant t) {
        if (t == null) {
            return null;
        }
        Instant down = t.truncatedTo(ChronoUnit.MICROS);
        return down.equals(t) ? t : down.plus(1, ChronoUnit.MICROS);
    }

    private static String describe(Duration d) {
        if (d.toMinutes() % 60 != 0) {
            return d.toMinutes() + " minutes";
        }
        return d.toHours() % 24 == 0 ? d.toDays() + " days" : d.toHours() + " hours";
    }

    /** {@code from} must not be after {@code to}; both known. */
    void ordered(Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            violations.add(new Violation("from", "is after to (" + to + ")"));
        }
    }

    /** The rollup is hourly: a bound between two hours cannot be answered exactly from it. */
    void onTheHour(String name, Instant value) {
        if (value != null && !value.truncatedTo(ChronoUnit.HOURS).equals(value)) {
            violations.add(new Violation(name, "must be on the hour (summaries come from hourly totals), e.g. "
                    + value.truncatedTo(ChronoUnit.HOURS)));
        }
    }

    void atMost(String name, Instant from, Instant to, Duration max, String why) {
        if (from != null && to != null && Duration.between(from, to).compareTo(max) > 0) {
            violations.add(new Violation(name, why + " covers at most " + max.toDays() + " days, and from..to spans "
                    + Duration.between(from, to).toHours() + " hours"));
        }
    }

    /** @throws ApiException a 400 naming every problem found */
    public void done() {
        if (!violations.isEmpty()) {
            throw ApiException.invalid("invalid_parameter", violations);
        }
    }

    private static String shorten(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }
}
