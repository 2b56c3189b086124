package io.visca.gateway.billing.finance;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * Finance by team: the key's team (from the usage event) is a summary dimension and a filter of every finance
 * query, in the rollup (whole hours) and from the raw records (partial hours), and a column of the records and the
 * CSV export. A key that changed team is counted under each team for the requests made in it.
 */
@QuarkusTest
class TeamUsageTests {

    @Test
    void summariesGroupAndFilterByTeam() {
        Instant day = FinanceApi.freshDays(1);
        String red = UsageEvents.unique("red");
        String blue = UsageEvents.unique("blue");
        String k1 = UsageEvents.unique("key");
        String k2 = UsageEvents.unique("key");
        UsageEvents.send(List.of(
                EventBuilder.event().key(k1).team(red).at(day.plusSeconds(10)).cost("0.1", "0.01").build(),
                EventBuilder.event().key(k1).team(red).at(day.plusSeconds(4000)).cost("0.2", "0.02").build(),
                EventBuilder.event().key(k2).team(blue).at(day.plusSeconds(20)).cost("0.3", "0.03").build(),
                // k2 moved to team red
                EventBuilder.event().key(k2).team(red).at(day.plusSeconds(7300)).cost("0.4", "0.04").build(),
                EventBuilder.event().key(k2).at(day.plusSeconds(7400)).cost("0.5", "0.05").build()));
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(k1) + Ledger.rawRows(k2) == 5);
        String from = day.toString();
        String to = day.plus(Duration.ofDays(1)).toString();

        FinanceApi.api().queryParam("from", from).queryParam("to", to).queryParam("group_by", "team")
                .get("/api/usage/summary").then().statusCode(200)
                .body("group_by", equalTo(List.of("team")))
                .body("rows", hasSize(3))
                .body("rows.find { it.team == '" + red + "' }.total_cost", equalTo("0.77"))
                .body("rows.find { it.team == '" + red + "' }.requests", equalTo(3))
                .body("rows.find { it.team == '" + blue + "' }.total_cost", equalTo("0.33"))
                .body("rows.find { it.team == null }.total_cost", equalTo("0.55"));
        FinanceApi.api().queryParam("from", from).queryParam("to", to).queryParam("group_by", "team,api_key")
                .queryParam("team", red).get("/api/usage/summary").then().statusCode(200)
                .body("rows", hasSize(2))
                .body("rows.find { it.api_key_id == '" + k1 + "' }.total_cost", equalTo("0.33"))
                .body("rows.find { it.api_key_id == '" + k2 + "' }.total_cost", equalTo("0.44"))
                .body("rows[0].team", equalTo(red));
        // a bound between two hours: the partial hours come from the raw records, with their team
        FinanceApi.api().queryParam("from", day.plus(Duration.ofMinutes(30)).toString())
                .queryParam("to", day.plus(Duration.ofMinutes(150)).toString()).queryParam("team", red)
                .get("/api/usage/summary").then().statusCode(200)
                .body("rows[0].requests", equalTo(2)).body("rows[0].total_cost", equalTo("0.66"));
        FinanceApi.api().queryParam("from", from).queryParam("to", to).queryParam("team", blue)
                .get("/api/usage/reconciliation").then().statusCode(200)
                .body("totals.configured_cost", equalTo("0.33"));
        FinanceApi.api().queryParam("from", from).queryParam("to", to).queryParam("team", red)
                .queryParam("bucket", "day").get("/api/usage/timeseries").then().statusCode(200)
                .body("buckets[0].requests", equalTo(3));
    }

    @Test
    void recordsAndExportShowTheTeam() {
        Instant day = FinanceApi.freshDays(1);
        String team = UsageEvents.unique("green");
        String key = UsageEvents.unique("key");
        UsageRecorded event = EventBuilder.event().key(key).team(team).at(day.plusSeconds(5)).cost("0.1", "0")
                .leases("3f2c5b1e-8d4a-4c6b-9e7f-0a1b2c3d4e5f").build();
        UsageEvents.send(event, EventBuilder.event().key(key).at(day.plusSeconds(6)).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 2);

        FinanceApi.api().queryParam("team", team).get("/api/usage/records").then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].event_id", equalTo(event.eventId()))
                .body("data[0].team", equalTo(team))
                .body("data[0].budget_leases", equalTo(List.of("3f2c5b1e-8d4a-4c6b-9e7f-0a1b2c3d4e5f")));
        FinanceApi.api().queryParam("api_key", key).get("/api/usage/records").then().statusCode(200)
                .body("data[0].team", equalTo(null)).body("data[0].budget_leases", equalTo(List.of()));
        String csv = FinanceApi.api().queryParam("api_key", key).get("/api/usage/export").then().statusCode(200)
                .extract().asString();
        String[] lines = csv.split("\r\n");
        assertTrue(lines[0].endsWith(",event_id,team"), lines[0]);
        assertEquals(3, lines.length);
        assertTrue(lines[1].endsWith(","), "the newest has no team: " + lines[1]);
        assertTrue(lines[2].endsWith(event.eventId() + "," + team), lines[2]);
        FinanceApi.api().queryParam("group_by", "colour").get("/api/usage/summary").then().statusCode(400)
                .body("error.violations[0].message", equalTo("unknown group 'colour'; use any of provider, model, "
                        + "api_key, team, day, hour, comma-separated"));
    }
}
