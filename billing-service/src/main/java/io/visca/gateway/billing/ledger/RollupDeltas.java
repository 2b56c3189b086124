package io.visca.gateway.billing.ledger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * What one batch adds to each rollup: the events the ledger really stored (a redelivered one is not among them),
 * grouped per rollup row, so one batch touches each row once. Rows are in key order, so two writers lock rollup rows
 * in the same order. A missing provider, model, key or team is '' (the rollups' primary keys hold it).
 */
record RollupDeltas(List<Row> minute, List<Row> hour, List<Row> seriesMinute, List<Row> seriesHour) {

    /** A rollup row's key: the start of its minute or hour (µs since the epoch) and its dimensions. */
    record Key(long startMicros, String provider, String model, String apiKey, String team) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::startMicros)
            .thenComparing(Key::provider).thenComparing(Key::model).thenComparing(Key::apiKey)
            .thenComparing(Key::team);

    /** The totals of one rollup row's events. */
    static final class Row {
        final Key key;
        long requests;
        long errors;
        long promptTokens;
        long completionTokens;
        long cachedTokens;
        BigDecimal inputCost = BigDecimal.ZERO;
        BigDecimal outputCost = BigDecimal.ZERO;
        BigDecimal totalCost = BigDecimal.ZERO;
        BigDecimal reportedCost = BigDecimal.ZERO;
        long pricedRequests;
        long reportedRequests;
        BigDecimal reportedConfiguredCost = BigDecimal.ZERO;
        long unpricedRequests;
        long unpricedTokens;
        final LatencyHistogram.Builder latency = new LatencyHistogram.Builder();
        final LatencyHistogram.Builder ttft = new LatencyHistogram.Builder();

        Row(Key key) {
            this.key = key;
        }

        void add(UsageRecorded e) {
            requests++;
            errors += "error".equals(e.status()) ? 1 : 0;
            promptTokens += e.promptTokens();
            completionTokens += e.completionTokens();
            cachedTokens += e.cachedTokens();
            inputCost = plus(inputCost, e.inputCost());
            outputCost = plus(outputCost, e.outputCost());
            totalCost = plus(totalCost, e.totalCost());
            reportedCost = plus(reportedCost, e.reportedCost());
            pricedRequests += e.totalCost() == null ? 0 : 1;
            if (e.reportedCost() != null) {
                reportedRequests++;
                reportedConfiguredCost = plus(reportedConfiguredCost, e.totalCost());
            }
            if (e.totalCost() == null && e.servedModel() != null) {
                unpricedRequests++;
                unpricedTokens += e.promptTokens() + e.completionTokens();
            }
            latency.add(e.latencyMs());
            if (e.stream() && e.timeToFirstTokenMs() != null) {
                ttft.add(e.timeToFirstTokenMs());
            }
        }

        private static BigDecimal plus(BigDecimal sum, BigDecimal value) {
            return value == null ? sum : sum.add(value);
        }
    }

    /** The deltas of {@code stored}, the events the ledger's insert really stored. */
    static RollupDeltas of(List<UsageRecorded> stored) {
        Map<Key, Row> minute = new TreeMap<>(ORDER);
        Map<Key, Row> hour = new TreeMap<>(ORDER);
        Map<Key, Row> seriesMinute = new TreeMap<>(ORDER);
        Map<Key, Row> seriesHour = new TreeMap<>(ORDER);
        for (UsageRecorded e : stored) {
            long micros = LedgerBatch.micros(e.occurredAt());
            long minuteStart = Math.floorDiv(micros, 60_000_000L) * 60_000_000L;
            long hourStart = Math.floorDiv(micros, 3_600_000_000L) * 3_600_000_000L;
            String provider = blank(e.provider());
            String model = blank(e.servedModel());
            String key = blank(e.apiKeyId());
            String team = blank(e.team());
            minute.computeIfAbsent(new Key(minuteStart, provider, model, key, team), Row::new).add(e);
            hour.computeIfAbsent(new Key(hourStart, provider, model, key, team), Row::new).add(e);
            seriesMinute.computeIfAbsent(new Key(minuteStart, provider, model, "", ""), Row::new).add(e);
            seriesHour.computeIfAbsent(new Key(hourStart, provider, model, "", ""), Row::new).add(e);
        }
        return new RollupDeltas(new ArrayList<>(minute.values()), new ArrayList<>(hour.values()),
                new ArrayList<>(seriesMinute.values()), new ArrayList<>(seriesHour.values()));
    }

    boolean isEmpty() {
        return hour.isEmpty();
    }

    private static String blank(String value) {
        return value == null ? "" : value;
    }
}
