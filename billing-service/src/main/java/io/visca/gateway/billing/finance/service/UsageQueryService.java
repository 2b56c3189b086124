package io.visca.gateway.billing.finance.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.billing.config.BillingConfig;
import io.visca.gateway.billing.finance.mapping.CsvFormat;
import io.visca.gateway.billing.finance.mapping.Money;
import io.visca.gateway.billing.finance.mapping.Reconciliation;
import io.visca.gateway.billing.finance.mapping.ReconciliationRow;
import io.visca.gateway.billing.finance.mapping.RecordMapper;
import io.visca.gateway.billing.finance.mapping.RecordsPage;
import io.visca.gateway.billing.finance.mapping.SummaryRow;
import io.visca.gateway.billing.finance.mapping.TimeseriesBucket;
import io.visca.gateway.billing.finance.mapping.UsageSummary;
import io.visca.gateway.billing.finance.mapping.UsageTimeseries;
import io.visca.gateway.billing.finance.mapping.UsageTotals;
import io.visca.gateway.billing.finance.query.Bucket;
import io.visca.gateway.billing.finance.query.Cursor;
import io.visca.gateway.billing.finance.query.GroupBy;
import io.visca.gateway.billing.finance.query.UsageFilter;
import io.visca.gateway.billing.finance.repository.UsageQueryRepository;
import io.visca.gateway.billing.ledger.LatencyHistogram;
import io.visca.gateway.billing.ledger.UsageRecordEntity;

/** The finance API's reads, each in a session of its own; the CSV export streams page by page. */
@ApplicationScoped
public class UsageQueryService {

    public static final String CURRENCY = "USD";

    private final UsageQueryRepository repository;
    private final int exportPageSize;

    UsageQueryService(UsageQueryRepository repository, BillingConfig config) {
        this.repository = repository;
        this.exportPageSize = config.api().exportPageSize();
    }

    public Uni<UsageSummary> summary(UsageFilter filter, List<GroupBy> groups) {
        return Panache.withSession(() -> repository.summary(filter, groups)).map(rows -> {
            List<SummaryRow> out = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                Map<String, String> dimensions = new LinkedHashMap<>();
                for (int i = 0; i < groups.size(); i++) {
                    dimensions.put(groups.get(i).field(), (String) row[i]);
                }
                out.add(new SummaryRow(dimensions, totals(row, groups.size())));
            }
            return new UsageSummary(filter.from(), filter.to(), groups.stream().map(GroupBy::parameter).toList(),
                    CURRENCY, out);
        });
    }

    /** Every bucket covering [from, to) of the filter, empty ones included. */
    public Uni<UsageTimeseries> timeseries(UsageFilter filter, Bucket bucket) {
        if (bucket.count(filter.from(), filter.to()) == 0) {
            return Uni.createFrom().item(new UsageTimeseries(filter.from(), filter.to(), bucket.parameter(), CURRENCY,
                    List.of()));
        }
        Instant first = bucket.floor(filter.from());
        Instant last = bucket.floor(filter.to().minusNanos(1_000));
        return Panache.withSession(() -> repository.timeseries(filter, bucket, first, last)).map(rows -> {
            List<TimeseriesBucket> out = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                long requests = ((Number) row[1]).longValue();
                long errors = ((Number) row[2]).longValue();
                LatencyHistogram latency = LatencyHistogram.parse((String) row[3]);
                LatencyHistogram ttft = LatencyHistogram.parse((String) row[4]);
                out.add(new TimeseriesBucket(Instant.ofEpochSecond(((Number) row[0]).longValue()), requests, errors,
                        requests == 0 ? 0 : (double) errors / requests, percentile(latency, 0.5),
                        percentile(latency, 0.95), percentile(ttft, 0.5), percentile(ttft, 0.95),
                        ((Number) row[5]).longValue(), ((Number) row[6]).longValue(), Money.sum(row[7])));
            }
            return new UsageTimeseries(filter.from(), filter.to(), bucket.parameter(), CURRENCY, out);
        });
    }

    public Uni<Reconciliation> reconciliation(UsageFilter filter) {
        return Panache.withSession(() -> repository.reconciliation(filter)).map(rows -> {
            List<ReconciliationRow> out = new ArrayList<>(rows.size());
            long requests = 0;
            long priced = 0;
            long reported = 0;
            BigDecimal configured = BigDecimal.ZERO;
            BigDecimal reportedCost = BigDecimal.ZERO;
            BigDecimal configuredWhereReported = BigDecimal.ZERO;
            long unpriced = 0;
            long unpricedTokens = 0;
            for (Object[] row : rows) {
                long n = (Long) row[2];
                long p = (Long) row[3];
                long r = (Long) row[4];
                long u = (Long) row[8];
                long ut = (Long) row[9];
                out.add(reconciliationRow((String) row[0], (String) row[1], n, p, r, (BigDecimal) row[5],
                        (BigDecimal) row[6], (BigDecimal) row[7], u, ut));
                unpriced += u;
                unpricedTokens += ut;
                requests += n;
                priced += p;
                reported += r;
                configured = configured.add((BigDecimal) row[5]);
                reportedCost = reportedCost.add((BigDecimal) row[6]);
                configuredWhereReported = configuredWhereReported.add((BigDecimal) row[7]);
            }
            return new Reconciliation(filter.from(), filter.to(), CURRENCY, out, reconciliationRow(null, null,
                    requests, priced, reported, configured, reportedCost, configuredWhereReported, unpriced,
                    unpricedTokens));
        });
    }

    /** A page of {@code limit} records after {@code cursor} (null: the newest). */
    public Uni<RecordsPage> records(UsageFilter filter, Cursor cursor, int limit) {
        return Panache.withSession(() -> repository.records(filter, cursor, limit + 1)).map(rows -> {
            boolean more = rows.size() > limit;
            List<UsageRecordEntity> page = more ? rows.subList(0, limit) : rows;
            String next = more ? cursorOf(page.get(page.size() - 1)).encode() : null;
            return new RecordsPage(page.stream().map(RecordMapper::toApiModel).toList(), next);
        });
    }

    /**
     * The matching records as CSV, newest first: the header, then one chunk per page of {@code export-page-size}
     * rows, each page read only when the previous chunk was taken. Memory stays at one page whatever the range.
     */
    public Multi<String> exportCsv(UsageFilter filter) {
        AtomicReference<Cursor> after = new AtomicReference<>();
        Multi<String> pages = Multi.createBy().repeating()
                .uni(() -> Panache.withSession(() -> repository.records(filter, after.get(), exportPageSize)))
                .whilst(rows -> {
                    boolean full = rows.size() == exportPageSize;
                    if (!rows.isEmpty()) {
                        after.set(cursorOf(rows.get(rows.size() - 1)));
                    }
                    return full;
                })
                .filter(rows -> !rows.isEmpty())
                .map(rows -> {
                    StringBuilder chunk = new StringBuilder(rows.size() * 300);
                    for (UsageRecordEntity row : rows) {
                        CsvFormat.append(chunk, row);
                    }
                    return chunk.toString();
                });
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(CsvFormat.HEADER), pages);
    }

    private static Double percentile(LatencyHistogram histogram, double fraction) {
        return histogram == null ? null : histogram.percentile(fraction);
    }

    private static Cursor cursorOf(UsageRecordEntity row) {
        return new Cursor(row.occurredAt, row.eventId);
    }

    private static UsageTotals totals(Object[] row, int offset) {
        long prompt = (Long) row[offset + 2];
        long completion = (Long) row[offset + 3];
        return new UsageTotals((Long) row[offset], (Long) row[offset + 1], prompt, completion, (Long) row[offset + 4],
                prompt + completion, Money.sum(row[offset + 5]), Money.sum(row[offset + 6]),
                Money.sum(row[offset + 7]), Money.sum(row[offset + 8]), (Long) row[offset + 9],
                (Long) row[offset + 10]);
    }

    private static ReconciliationRow reconciliationRow(String provider, String model, long requests, long priced,
            long reported, BigDecimal configured, BigDecimal reportedCost, BigDecimal configuredWhereReported,
            long unpriced, long unpricedTokens) {
        return new ReconciliationRow(provider, model, requests, reported, requests - reported, requests - priced,
                Money.format(configured), Money.format(reportedCost), Money.format(configuredWhereReported),
                Money.format(reportedCost.subtract(configuredWhereReported)), unpriced, unpricedTokens);
    }
}
