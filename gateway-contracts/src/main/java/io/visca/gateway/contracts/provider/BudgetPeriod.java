package io.visca.gateway.contracts.provider;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * The periods a budget counts in, all in UTC: a {@code day} starts at 00:00, a {@code week} on Monday 00:00, a
 * {@code month} on the 1st at 00:00; {@code total} never ends (one period starting at the epoch). Router, quota
 * store and registry compute a period's start with this one function, so they always name the same period.
 */
public enum BudgetPeriod {
    DAY,
    WEEK,
    MONTH,
    TOTAL;

    /** The wire name: {@code day}, {@code week}, {@code month}, {@code total}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the period of that name, or null when there is none (names are lowercase) */
    public static BudgetPeriod of(String name) {
        for (BudgetPeriod period : values()) {
            if (period.wireName().equals(name)) {
                return period;
            }
        }
        return null;
    }

    /** The start of the period {@code at} falls in. */
    public Instant start(Instant at) {
        ZonedDateTime day = at.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
        return switch (this) {
            case DAY -> day.toInstant();
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant();
            case MONTH -> day.withDayOfMonth(1).toInstant();
            case TOTAL -> Instant.EPOCH;
        };
    }

    /** The start of the period after the one starting at {@code start}; null for {@code total}. */
    public Instant next(Instant start) {
        ZonedDateTime at = start.atZone(ZoneOffset.UTC);
        return switch (this) {
            case DAY -> at.plusDays(1).toInstant();
            case WEEK -> at.plusWeeks(1).toInstant();
            case MONTH -> at.plusMonths(1).toInstant();
            case TOTAL -> null;
        };
    }
}
