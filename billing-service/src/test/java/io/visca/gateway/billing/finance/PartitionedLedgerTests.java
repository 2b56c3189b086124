package io.visca.gateway.billing.finance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.billing.ledger.PartitionJob;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * The raw records are partitioned by month: a month's rows land in its partition, queries across a month boundary
 * (series, summaries, record pages, export) see both sides, and a partition made late takes over the rows the default
 * partition held for its month.
 */
@QuarkusTest
class PartitionedLedgerTests {

    /** After every month other tests use (2040 to 2089). */
    private static final Instant BOUNDARY = Instant.parse("2091-03-01T00:00:00Z");

    @Inject
    PartitionJob partitions;

    @Test
    void queriesAcrossAMonthBoundarySeeBothPartitionsAndPagesReturnEveryRecordOnce() throws Throwable {
        String team = UsageEvents.unique("team");
        // one event in March before its partition exists: it waits in the default partition
        UsageRecorded early = EventBuilder.event().team(team).at(BOUNDARY.plusSeconds(90)).latency(12).build();
        UsageEvents.send(early);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(team) == 1);
        assertEquals("usage_record_default", partitionOf(early.eventId()));

        VertxContextSupport.subscribeAndAwait(() -> partitions.ensure(BOUNDARY.minus(Duration.ofDays(1)),
                BOUNDARY.plus(Duration.ofDays(1))));
        assertEquals("usage_record_209103", partitionOf(early.eventId()), "moved into its month's partition");

        List<UsageRecorded> events = new ArrayList<>(List.of(early));
        for (int i = 0; i < 40; i++) {
            // 5 share one instant at each side: the event id breaks the tie
            Instant at = BOUNDARY.plusSeconds(i < 20 ? -1 - (i % 15) * 7 : (i % 15) * 7);
            events.add(EventBuilder.event().team(team).at(at).latency(10 + i).cost("0.01", "0.002").build());
        }
        UsageEvents.send(events.subList(1, events.size()));
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(team) == events.size());
        assertEquals("usage_record_209102", partitionOf(events.get(1).eventId()));
        assertEquals("usage_record_209103", partitionOf(events.get(events.size() - 1).eventId()));

        // a minute series across the boundary: per minute what was sent
        JsonPath series = FinanceApi.api().queryParam("team", team).queryParam("bucket", "minute")
                .queryParam("from", BOUNDARY.minusSeconds(180).toString())
                .queryParam("to", BOUNDARY.plusSeconds(180).toString())
                .get("/api/usage/timeseries").then().statusCode(200).extract().jsonPath();
        TreeMap<String, Integer> perMinute = new TreeMap<>();
        for (UsageRecorded e : events) {
            perMinute.merge(e.occurredAt().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString(), 1,
                    Integer::sum);
        }
        List<String> starts = series.getList("buckets.start", String.class);
        List<Integer> requests = series.getList("buckets.requests", Integer.class);
        for (int i = 0; i < starts.size(); i++) {
            assertEquals(perMinute.getOrDefault(starts.get(i), 0), requests.get(i), "minute " + starts.get(i));
        }
        assertEquals(events.size(), requests.stream().mapToInt(Integer::intValue).sum());

        // a summary with bounds between minutes reads both partitions' partial minutes
        Instant from = BOUNDARY.minusSeconds(50);
        Instant to = BOUNDARY.plusSeconds(50);
        long inRange = events.stream().filter(e -> !e.occurredAt().isBefore(from) && e.occurredAt().isBefore(to))
                .count();
        assertTrue(inRange > 0 && inRange < events.size());
        FinanceApi.api().queryParam("team", team).queryParam("from", from.toString()).queryParam("to", to.toString())
                .get("/api/usage/summary").then().statusCode(200)
                .body("rows[0].requests", org.hamcrest.Matchers.equalTo((int) inRange));

        // record pages by cursor across the boundary: every record once
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = FinanceApi.api().queryParam("team", team).queryParam("limit", 4);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/usage/records").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("data.event_id", String.class));
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        Set<String> sent = new HashSet<>(events.stream().map(UsageRecorded::eventId).toList());
        assertEquals(events.size(), seen.size(), "no record twice");
        assertEquals(sent, new HashSet<>(seen), "every record");

        // the export (pages of 7 in the test profile) likewise
        String csv = FinanceApi.api().queryParam("team", team).get("/api/usage/export").then().statusCode(200)
                .extract().asString();
        List<String> lines = csv.lines().skip(1).toList();
        assertEquals(events.size(), lines.size());
        Set<String> exported = new HashSet<>();
        for (String line : lines) {
            exported.add(sent.stream().filter(line::contains).findFirst().orElseThrow());
        }
        assertEquals(sent, exported);
    }

    private static long rows(String team) {
        return Ledger.count("select count(*) from usage_record where team = ?", team);
    }

    private static String partitionOf(String eventId) {
        try (var c = Ledger.connect();
                var s = c.prepareStatement("select cast(tableoid::regclass as text) from usage_record where event_id = ?")) {
            s.setString(1, eventId);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
