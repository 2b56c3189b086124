package io.visca.gateway.billing.finance.query;

import java.util.Arrays;
import java.util.Optional;

/**
 * A dimension of {@code group_by}: its name in the query, its key in a summary row, the SQL over the rollup that
 * rows are grouped on (plain columns and arithmetic: cheap per row) and the format of a group's value (applied once
 * per group).
 */
public enum GroupBy {
    PROVIDER("provider", "provider", "provider", "nullif(%s, '')"),
    MODEL("model", "model", "served_model", "nullif(%s, '')"),
    API_KEY("api_key", "api_key_id", "api_key_id", "nullif(%s, '')"),
    TEAM("team", "team", "team", "nullif(%s, '')"),
    DAY("day", "day", "date_bin('1 day', hour, timestamptz 'epoch')", "to_char(%s at time zone 'UTC', 'YYYY-MM-DD')"),
    HOUR("hour", "hour", "hour", "to_char(%s at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:00:00\"Z\"')");

    private final String parameter;
    private final String field;
    private final String key;
    private final String format;

    GroupBy(String parameter, String field, String key, String format) {
        this.parameter = parameter;
        this.field = field;
        this.key = key;
        this.format = format;
    }

    /** As written in {@code group_by}. */
    public String parameter() {
        return parameter;
    }

    /** The key of this dimension in a summary row. */
    public String field() {
        return field;
    }

    /** What rows of {@code usage_hourly} are grouped on (UTC days: {@code date_bin} from the epoch). */
    public String key() {
        return key;
    }

    /** The group's value from its key {@code column}: text, null for none; sorts as the value does. */
    public String format(String column) {
        return format.formatted(column);
    }

    /** Whether it needs the rollups that keep the API key and team. */
    public boolean keyOrTeam() {
        return this == API_KEY || this == TEAM;
    }

    public static Optional<GroupBy> of(String parameter) {
        return Arrays.stream(values()).filter(g -> g.parameter.equals(parameter)).findFirst();
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(GroupBy::parameter).toList());
    }
}
