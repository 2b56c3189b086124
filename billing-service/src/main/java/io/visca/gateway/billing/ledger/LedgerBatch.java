package io.visca.gateway.billing.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * A batch of valid events as one array per column: what {@link LedgerRepository#store} binds to its single
 * {@code INSERT ... SELECT FROM unnest(...)}. Decimals and the attempt logs travel as text and are cast by
 * PostgreSQL, so nothing is rounded on the way; occurred_at travels as microseconds since the epoch.
 *
 * @param attemptLogs each event's {@code attempt_log} as JSON text
 * @param budgetLeases each event's {@code budget_leases} as a JSON array (null when it has none), made a
 *        {@code text[]} by the statement
 */
record LedgerBatch(String[] eventId, String[] requestId, Long[] occurredAt, String[] apiKeyId,
        String[] requestedModel, String[] servedModel, String[] provider, String[] endpoint, String[] strategy,
        String[] operation, String[] upstreamModel, String[] status, Integer[] httpStatus, String[] errorType,
        String[] errorCode, Boolean[] stream, Integer[] attempts, Long[] promptTokens, Long[] completionTokens,
        Long[] cachedTokens, Boolean[] tokensEstimated, String[] inputCost, String[] outputCost, String[] totalCost,
        String[] reportedCost, Long[] latencyMs, Long[] timeToFirstTokenMs, String[] attemptLogs,
        Integer[] schemaVersion, String[] team, String[] budgetLeases) {

    static LedgerBatch of(List<UsageRecorded> events, List<String> attemptLogs) {
        int n = events.size();
        LedgerBatch b = new LedgerBatch(new String[n], new String[n], new Long[n], new String[n], new String[n],
                new String[n], new String[n], new String[n], new String[n], new String[n], new String[n],
                new String[n], new Integer[n], new String[n], new String[n], new Boolean[n], new Integer[n],
                new Long[n], new Long[n], new Long[n], new Boolean[n], new String[n], new String[n], new String[n],
                new String[n], new Long[n], new Long[n], new String[n], new Integer[n], new String[n], new String[n]);
        for (int i = 0; i < n; i++) {
            UsageRecorded e = events.get(i);
            b.eventId[i] = e.eventId();
            b.requestId[i] = e.requestId();
            b.occurredAt[i] = micros(e.occurredAt());
            b.apiKeyId[i] = e.apiKeyId();
            b.requestedModel[i] = e.requestedModel();
            b.servedModel[i] = e.servedModel();
            b.provider[i] = e.provider();
            b.endpoint[i] = e.endpoint();
            b.strategy[i] = e.strategy();
            b.operation[i] = e.operation();
            b.upstreamModel[i] = e.upstreamModel();
            b.status[i] = e.status();
            b.httpStatus[i] = e.httpStatus();
            b.errorType[i] = e.errorType();
            b.errorCode[i] = e.errorCode();
            b.stream[i] = e.stream();
            b.attempts[i] = e.attempts();
            b.promptTokens[i] = e.promptTokens();
            b.completionTokens[i] = e.completionTokens();
            b.cachedTokens[i] = e.cachedTokens();
            b.tokensEstimated[i] = e.tokensEstimated();
            b.inputCost[i] = decimal(e.inputCost());
            b.outputCost[i] = decimal(e.outputCost());
            b.totalCost[i] = decimal(e.totalCost());
            b.reportedCost[i] = decimal(e.reportedCost());
            b.latencyMs[i] = e.latencyMs();
            b.timeToFirstTokenMs[i] = e.timeToFirstTokenMs();
            b.attemptLogs[i] = attemptLogs.get(i);
            b.schemaVersion[i] = e.schemaVersion();
            b.team[i] = e.team();
            b.budgetLeases[i] = leases(e.budgetLeases());
        }
        return b;
    }

    int size() {
        return eventId.length;
    }

    /**
     * Microseconds since the epoch, cut (not rounded, as PostgreSQL would round a finer instant): a request stays in
     * the hour it finished in. {@link UsageEventParser} keeps occurred_at within years 1 to 9999.
     */
    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    /** The leases as a JSON array of strings (one text per row: unnest cannot carry an array per row); null for none. */
    private static String leases(List<String> leases) {
        if (leases.isEmpty()) {
            return null;
        }
        StringBuilder json = new StringBuilder("[");
        for (String lease : leases) {
            json.append(json.length() == 1 ? "" : ",").append('"');
            for (int i = 0; i < lease.length(); i++) {
                char c = lease.charAt(i);
                if (c == '"' || c == '\\') {
                    json.append('\\').append(c);
                } else if (c < 0x20) {
                    json.append(String.format("\\u%04x", (int) c));
                } else {
                    json.append(c);
                }
            }
            json.append('"');
        }
        return json.append(']').toString();
    }

    private static String decimal(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
