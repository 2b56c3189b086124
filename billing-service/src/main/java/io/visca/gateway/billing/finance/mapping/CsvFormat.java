package io.visca.gateway.billing.finance.mapping;

import java.util.List;

import io.visca.gateway.billing.ledger.UsageRecordEntity;

/**
 * The CSV export, RFC 4180: a header row, CRLF line ends, a field quoted (and its quotes doubled) when it holds a
 * comma, a quote, CR or LF; an empty field for null. Text that a spreadsheet would run as a formula (starting with
 * {@code = + - @}, tab or CR) gets a leading {@code '}: model names and error codes come from clients and upstreams.
 * {@code request_id} is the client's correlation id (not unique); {@code event_id}, the router's unique id of the
 * request, and then {@code team} were added last so that tools reading the columns by position keep working.
 */
public final class CsvFormat {

    public static final List<String> COLUMNS = List.of("request_id", "occurred_at", "api_key_id", "provider",
            "endpoint", "requested_model", "served_model", "upstream_model", "operation", "strategy", "status",
            "http_status", "error_type", "error_code", "stream", "attempts", "prompt_tokens", "completion_tokens",
            "cached_tokens", "total_tokens", "tokens_estimated", "input_cost", "output_cost", "total_cost",
            "reported_cost", "latency_ms", "time_to_first_token_ms", "attempt_log", "event_id", "team");

    public static final String HEADER = String.join(",", COLUMNS) + "\r\n";

    private CsvFormat() {
    }

    /** Appends one row, CRLF included. */
    public static void append(StringBuilder out, UsageRecordEntity e) {
        text(out, e.requestId).append(',');
        out.append(e.occurredAt).append(',');
        text(out, e.apiKeyId).append(',');
        text(out, e.provider).append(',');
        text(out, e.endpoint).append(',');
        text(out, e.requestedModel).append(',');
        text(out, e.servedModel).append(',');
        text(out, e.upstreamModel).append(',');
        text(out, e.operation).append(',');
        text(out, e.strategy).append(',');
        text(out, e.status).append(',');
        out.append(e.httpStatus).append(',');
        text(out, e.errorType).append(',');
        text(out, e.errorCode).append(',');
        out.append(e.stream).append(',');
        out.append(e.attempts).append(',');
        out.append(e.promptTokens).append(',');
        out.append(e.completionTokens).append(',');
        out.append(e.cachedTokens).append(',');
        out.append(e.promptTokens + e.completionTokens).append(',');
        out.append(e.tokensEstimated).append(',');
        plain(out, Money.format(e.inputCost)).append(',');
        plain(out, Money.format(e.outputCost)).append(',');
        plain(out, Money.format(e.totalCost)).append(',');
        plain(out, Money.format(e.reportedCost)).append(',');
        out.append(e.latencyMs).append(',');
        plain(out, e.timeToFirstTokenMs == null ? null : e.timeToFirstTokenMs.toString()).append(',');
        quoted(out, e.attemptLog).append(',');
        text(out, e.eventId).append(',');
        text(out, e.team);
        out.append("\r\n");
    }

    /** Free text: defused if a spreadsheet would read it as a formula, quoted if needed. */
    static StringBuilder text(StringBuilder out, String value) {
        if (value == null || value.isEmpty()) {
            return out;
        }
        char first = value.charAt(0);
        boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
                || first == '\r';
        return quoted(out, formula ? "'" + value : value);
    }

    private static StringBuilder plain(StringBuilder out, String value) {
        return value == null ? out : out.append(value);
    }

    static StringBuilder quoted(StringBuilder out, String value) {
        if (value == null) {
            return out;
        }
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            return out.append(value);
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c);
            if (c == '"') {
                out.append('"');
            }
        }
        return out.append('"');
    }
}
