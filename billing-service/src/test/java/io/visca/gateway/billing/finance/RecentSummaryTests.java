package io.visca.gateway.billing.finance;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * A summary over the last 24 hours ({@code from=<now-24h>}, between two hours) is exact: the whole hours come from
 * the rollup, the partial ones from the raw records, so requests, errors and cost per provider count exactly the
 * requests in [from, to).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecentSummaryTests {

    private final List<UsageRecorded> events = new ArrayList<>();
    private Instant t;
    private String[] providers;

    @BeforeEach
    void sendRecentTrafficOnce() {
        if (!events.isEmpty()) {
            return;
        }
        // 17 min 23.456 s past the current hour: every bound below falls between two hours
        t = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(17)).plusMillis(23_456);
        providers = new String[] { UsageEvents.unique("recent-a"), UsageEvents.unique("recent-b") };
        String key = UsageEvents.unique("recent-key");
        Duration[] offsets = { Duration.ofHours(25), Duration.ofHours(24).plusSeconds(1), Duration.ofHours(24),
                Duration.ofHours(24).minusSeconds(1), Duration.ofHours(23).plusMinutes(50), Duration.ofHours(12),
                Duration.ofHours(3).plusMinutes(5), Duration.ofMinutes(30), Duration.ofSeconds(1),
                Duration.ofSeconds(-1), Duration.ofMinutes(-10) };
        for (int i = 0; i < offsets.length; i++) {
            for (int p = 0; p < 2; p++) {
                events.add(EventBuilder.event().at(t.minus(offsets[i])).provider(providers[p]).key(key)
                        .status((i + p) % 3 == 0 ? "error" : (i + p) % 5 == 0 ? "client_closed" : "success")
                        .tokens(100 + i, 10 + p, 0).cost("0.00" + (i + 1) + "7", p == 0 ? "0.0000" + (p + 3) : "1.5")
                        .build());
            }
        }
        UsageEvents.send(events);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> FinanceApi.api().queryParam("api_key", key)
                .queryParam("from", t.minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS).toString())
                .queryParam("to", t.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS).toString())
                .get("/api/usage/summary").then().statusCode(200).body("rows[0].requests", equalTo(events.size())));
    }

    @Test
    void theLast24HoursPerProviderCountExactlyTheRequestsSinceFrom() {
        Instant from = t.minus(Duration.ofHours(24));
        JsonPath body = summary(Map.of("group_by", "provider", "from", from.toString()));
        assertEquals(from.toString(), body.getString("from"));
        assertEquals(Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)).toString(),
                body.getString("to"), "to defaults to the end of the current hour");
        assertRows(body, e -> !e.occurredAt().isBefore(from));
    }

    @Test
    void bothBoundsBetweenHoursAndARangeInsideOneHour() {
        Instant from = t.minus(Duration.ofHours(24));
        assertRows(summary(Map.of("group_by", "provider", "from", from.toString(), "to", t.toString())),
                e -> !e.occurredAt().isBefore(from) && e.occurredAt().isBefore(t));
        Instant inside = t.minus(Duration.ofMinutes(15));
        assertRows(summary(Map.of("group_by", "provider", "from", inside.toString(), "to", t.toString())),
                e -> !e.occurredAt().isBefore(inside) && e.occurredAt().isBefore(t));
        Instant hour = t.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(24));
        assertRows(summary(Map.of("group_by", "provider", "from", hour.toString(), "to", t.toString())),
                e -> !e.occurredAt().isBefore(hour) && e.occurredAt().isBefore(t));
    }

    @Test
    void groupedByHourThePartialHoursHoldOnlyTheRange() {
        Instant from = t.minus(Duration.ofHours(24));
        JsonPath body = summary(Map.of("group_by", "hour", "provider", providers[0], "from", from.toString(), "to",
                t.toString()));
        List<Map<String, Object>> rows = body.getList("rows");
        Map<String, Long> expected = new HashMap<>();
        for (UsageRecorded e : events) {
            if (e.provider().equals(providers[0]) && !e.occurredAt().isBefore(from) && e.occurredAt().isBefore(t)) {
                expected.merge(e.occurredAt().truncatedTo(ChronoUnit.HOURS).toString(), 1L, Long::sum);
            }
        }
        Map<String, Long> got = new HashMap<>();
        rows.forEach(r -> got.put((String) r.get("hour"), ((Number) r.get("requests")).longValue()));
        assertEquals(expected, got);
    }

    @Test
    void aBoundBetweenHoursOlderThanTheRawRetentionIsA400() {
        FinanceApi.api().queryParam("from", t.minus(Duration.ofDays(91)).toString()).get("/api/usage/summary").then()
                .statusCode(400).body("error.param", equalTo("from"))
                .body("error.message", containsString("must be on the hour"))
                .body("error.message", containsString("kept only 90 days"));
        FinanceApi.api().queryParam("from", t.minus(Duration.ofDays(91)).truncatedTo(ChronoUnit.HOURS).toString())
                .get("/api/usage/summary").then().statusCode(200);
    }

    private static JsonPath summary(Map<String, String> query) {
        return FinanceApi.api().queryParams(query).get("/api/usage/summary").then().statusCode(200).extract()
                .jsonPath();
    }

    /** Only this test's providers' rows, against the events sent that match. */
    private void assertRows(JsonPath body, Predicate<UsageRecorded> in) {
        for (String provider : providers) {
            List<UsageRecorded> mine = events.stream().filter(e -> e.provider().equals(provider)).filter(in).toList();
            Map<String, Object> row = body.getMap("rows.find { it.provider == '" + provider + "' }");
            String what = provider + " over " + body.getString("from") + ".." + body.getString("to");
            assertEquals(mine.size(), ((Number) row.get("requests")).intValue(), what + ": requests");
            assertEquals(mine.stream().filter(e -> e.status().equals("error")).count(),
                    ((Number) row.get("errors")).longValue(), what + ": errors");
            assertEquals(mine.stream().mapToLong(UsageRecorded::promptTokens).sum(),
                    ((Number) row.get("prompt_tokens")).longValue(), what + ": prompt_tokens");
            BigDecimal cost = mine.stream().map(UsageRecorded::totalCost).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(0, cost.compareTo(new BigDecimal((String) row.get("total_cost"))), what + ": total_cost "
                    + row.get("total_cost") + " != " + cost);
        }
    }
}
