package io.visca.gateway.billing.finance;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * The ledger's key is the router's event id, not the client's request id: requests a client sent with one
 * {@code x-request-id} are each billed and each shown with it (records API, CSV export, the {@code request_id}
 * filter), while one event delivered twice is still stored once.
 */
@QuarkusTest
class CorrelationIdTests {

    @Test
    void fiveRequestsWithOneClientRequestIdAreFiveRecordsEachShowingIt() {
        String key = UsageEvents.unique("key");
        String requestId = UsageEvents.unique("client-request");
        Instant day = FinanceApi.freshDays(1);
        List<UsageRecorded> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // three finish in the same microsecond: the event id orders them, and pages never skip or repeat one
            Instant at = i < 3 ? day.plusSeconds(60) : day.plusSeconds(60L * i);
            events.add(EventBuilder.event().key(key).requestId(requestId).at(at).tokens(100, 10 * (i + 1), 0)
                    .cost("0.001", "0.0002").build());
        }
        // a request of the same key with another correlation id, which the request_id filter leaves out
        UsageRecorded other = EventBuilder.event().key(key).at(day.plusSeconds(90)).cost("0.001", "0.0002").build();
        List<UsageRecorded> sent = new ArrayList<>(events);
        sent.add(other);
        UsageEvents.send(sent);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 6);

        assertEquals(5, Ledger.count("select count(*) from usage_record where request_id = ?", requestId));
        List<String> newestFirst = events.stream().sorted(Comparator.comparing(UsageRecorded::occurredAt)
                .thenComparing(UsageRecorded::eventId).reversed()).map(UsageRecorded::eventId).toList();

        // the records API, two at a time: five records, each with its own event id and the client's request id
        List<String> seenEvents = new ArrayList<>();
        String cursor = null;
        do {
            var request = FinanceApi.api().queryParam("request_id", requestId).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/usage/records").then().statusCode(200).extract().jsonPath();
            seenEvents.addAll(page.getList("data.event_id", String.class));
            page.getList("data.request_id", String.class).forEach(id -> assertEquals(requestId, id));
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        assertEquals(newestFirst, seenEvents, "every request once, newest first, ties by event id");

        FinanceApi.api().queryParam("api_key", key).get("/api/usage/records").then().statusCode(200)
                .body("data.size()", equalTo(6))
                .body("data.findAll { it.request_id == '" + requestId + "' }.size()", equalTo(5));

        // the CSV export: five rows with the request id in its column and the event id in the last one
        String csv = FinanceApi.api().queryParam("request_id", requestId).get("/api/usage/export").then()
                .statusCode(200).extract().asString();
        List<List<String>> rows = UsageExportTests.parse(csv);
        assertEquals(List.of(UsageExportTests.HEADER.split(",")), rows.get(0));
        int requestColumn = rows.get(0).indexOf("request_id");
        int eventColumn = rows.get(0).indexOf("event_id");
        assertEquals(6, rows.size(), "the header and five rows");
        for (int i = 1; i < rows.size(); i++) {
            assertEquals(requestId, rows.get(i).get(requestColumn), "request_id of row " + i);
            assertEquals(newestFirst.get(i - 1), rows.get(i).get(eventColumn), "event_id of row " + i);
        }

        // and each is billed
        FinanceApi.api().queryParam("from", day.toString()).queryParam("to", day.plus(Duration.ofDays(1)).toString())
                .queryParam("api_key", key).get("/api/usage/summary").then().statusCode(200)
                .body("rows[0].requests", equalTo(6))
                .body("rows[0].completion_tokens", equalTo(10 + 20 + 30 + 40 + 50 + 20))
                .body("rows[0].total_cost", equalTo("0.0072"));
    }

    @Test
    void theSameEventDeliveredTwiceIsOneRecord() {
        String key = UsageEvents.unique("key");
        String requestId = UsageEvents.unique("client-request");
        Instant day = FinanceApi.freshDays(1);
        UsageRecorded event = EventBuilder.event().key(key).requestId(requestId).at(day.plusSeconds(5))
                .cost("0.01", "0.002").build();
        // a copy in the same batch, then again in a later one (the router's spool replaying it)
        UsageEvents.send(event, event);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 1);
        UsageEvents.send(event);
        // another request with the same correlation id: a new event id, so a new record
        UsageRecorded next = EventBuilder.event().key(key).requestId(requestId).at(day.plusSeconds(6))
                .cost("0.01", "0.002").build();
        UsageEvents.send(next);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 2);

        FinanceApi.api().queryParam("request_id", requestId).get("/api/usage/records").then().statusCode(200)
                .body("data.event_id", equalTo(List.of(next.eventId(), event.eventId())))
                .body("data.request_id", equalTo(List.of(requestId, requestId)));
        assertEquals(2, Ledger.rolledUpRequests(key), "the rollup counted the event once");
        FinanceApi.api().queryParam("from", day.toString()).queryParam("to", day.plus(Duration.ofDays(1)).toString())
                .queryParam("api_key", key).get("/api/usage/summary").then().statusCode(200)
                .body("rows[0].requests", equalTo(2))
                .body("rows[0].total_cost", equalTo("0.024"));
    }

    @Test
    void anUnknownRequestIdSelectsNothing() {
        FinanceApi.api().queryParam("request_id", UsageEvents.unique("nobody")).get("/api/usage/records").then()
                .statusCode(200).body("data.size()", equalTo(0)).body("next_cursor", equalTo(null));
    }
}
