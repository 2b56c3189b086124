package io.visca.gateway.billing.finance.query;

import java.util.Arrays;
import java.util.Optional;

/** A dimension of {@code group_by}: its name in the query, its key in a summary row, and its SQL over the rollup. */
public enum GroupBy {
    PROVIDER("provider", "provider", "nullif(provider, '')"),
    MODEL("model", "model", "nullif(served_model, '')"),
    API_KEY("api_key", "api_key_id", "nullif(api_key_id, '')"),
    TEAM("team", "team", "nullif(team, '')"),
    DAY("day", "day", "to_char(date_trunc('day', hour, 'UTC') at time zone 'UTC', 'YYYY-MM-DD')"),
    HOUR("hour", "hour", "to_char(hour at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:00:00\"Z\"')");

    private final String parameter;
    private final String field;
    private final String sql;

    GroupBy(String parameter, String field, String sql) {
        this.parameter = parameter;
        this.field = field;
        this.sql = sql;
    }

    /** As written in {@code group_by}. */
    public String parameter() {
        return parameter;
    }

    /** The key of this dimension in a summary row. */
    public String field() {
        return field;
    }

    /** Its value over {@code usage_hourly}: text, null for none; sorts as the value does. */
    public String sql() {
        return sql;
    }

    public static Optional<GroupBy> of(String parameter) {
        return Arrays.stream(values()).filter(g -> g.parameter.equals(parameter)).findFirst();
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(GroupBy::parameter).toList());
    }
}
