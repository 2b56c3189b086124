package io.visca.gateway.billing.ledger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.Meters;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;
import io.visca.gateway.infra.test.ManagementInterface;

/**
 * What the consumer does with what arrives on usage-recorded: each request stored and counted once however often it
 * is delivered, malformed values skipped (and logged without their content) while the rest of the batch is stored,
 * and the meters that say so.
 */
@QuarkusTest
class UsageIngestTests {

    private static final Path LOG = Path.of("target/billing-tests.log");

    @Test
    void duplicateUsageEventIsStoredOnce() {
        String key = UsageEvents.unique("key");
        Instant day = FinanceApi.freshDays(1);
        UsageRecorded event = EventBuilder.event().key(key).at(day.plusSeconds(10)).tokens(1000, 200, 0)
                .cost("0.0025", "0.002").reported("0.0045").build();
        UsageEvents.send(event);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 1);

        // delivered again in a later batch (a redelivery after a rebalance, or the router's spool replaying it)
        UsageEvents.send(event);
        UsageRecorded marker = EventBuilder.event().key(key).at(day.plusSeconds(20)).tokens(1, 1, 0).build();
        UsageEvents.send(marker);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 2);

        assertEquals(2, Ledger.rolledUpRequests(key));
        FinanceApi.api().queryParam("from", day.toString()).queryParam("to", day.plus(Duration.ofDays(1)).toString())
                .get("/api/usage/summary").then().statusCode(200)
                .body("rows[0].requests", equalTo(2))
                .body("rows[0].prompt_tokens", equalTo(1001))
                .body("rows[0].total_cost", equalTo("0.0045"))
                .body("rows[0].reported_cost", equalTo("0.0045"));
    }

    @Test
    void aBatchWithDuplicatesInsideCountsEachRequestOnce() {
        String key = UsageEvents.unique("key");
        Instant day = FinanceApi.freshDays(1);
        List<UsageRecorded> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            UsageRecorded e = EventBuilder.event().key(key).at(day.plusSeconds(i)).tokens(10, 1, 0)
                    .cost("0.01", "0.001").build();
            sent.add(e);
            if (i % 5 == 0) {
                sent.add(e);
                sent.add(e);
            }
        }
        // one flush: the consumer gets them in one poll, so the copies share a batch
        UsageEvents.send(sent);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 50);
        assertEquals(50, Ledger.rolledUpRequests(key));
        FinanceApi.api().queryParam("from", day.toString()).queryParam("to", day.plus(Duration.ofDays(1)).toString())
                .get("/api/usage/summary").then().statusCode(200)
                .body("rows[0].requests", equalTo(50))
                .body("rows[0].prompt_tokens", equalTo(500))
                .body("rows[0].total_cost", equalTo("0.55"));
    }

    @Test
    void malformedEventsAreSkippedAndTheRestOfTheBatchIsStored() throws IOException {
        String key = UsageEvents.unique("key");
        Instant day = FinanceApi.freshDays(1);
        String secret = "sk-live-" + UsageEvents.unique("SECRET");
        UsageRecorded first = EventBuilder.event().key(key).at(day.plusSeconds(1)).build();
        UsageRecorded last = EventBuilder.event().key(key).at(day.plusSeconds(2)).build();
        String valid = new String(UsageEvents.json(first));
        UsageEvents.sendRaw(first.requestId(), valid);
        Map<String, Future<RecordMetadata>> malformed = new LinkedHashMap<>();
        malformed.put("not valid JSON (line 1, column ", UsageEvents.sendRaw("req_1", "{\"request_id\": \""
                + secret + "\", oops"));
        malformed.put("wrong type or value for prompt_tokens", UsageEvents.sendRaw("req_2",
                valid.replace("\"prompt_tokens\":100", "\"prompt_tokens\":\"" + secret + "\"")));
        malformed.put("request_id is missing", UsageEvents.sendRaw("req_3",
                valid.replace("\"request_id\":\"" + first.requestId() + "\"", "\"request_id\":null")));
        // the ledger's key: without a usable one an event cannot be stored exactly once (UsageEventParserTests has
        // null, blank and NUL)
        malformed.put("event_id is missing", UsageEvents.sendRaw("req_8",
                valid.replace("\"event_id\":\"" + first.eventId() + "\",", "")));
        malformed.put("event_id is longer than 256 characters", UsageEvents.sendRaw("req_9",
                valid.replace("\"event_id\":\"" + first.eventId() + "\"", "\"event_id\":\"" + "e".repeat(257)
                        + "\"")));
        malformed.put("empty value (a tombstone?)", UsageEvents.sendRaw("req_4", (String) null));
        malformed.put("not a usage-recorded object (line 1, column 1)", UsageEvents.sendRaw(secret, "[\"" + secret + "\"]"));
        malformed.put("requested_model contains a NUL character", UsageEvents.sendRaw("req_5",
                UsageEvents.json(EventBuilder.event().key(key).model("gpt\u0000" + secret).at(day).build())));
        malformed.put("input_cost is negative", UsageEvents.sendRaw("req_6",
                UsageEvents.json(EventBuilder.event().key(key).cost("-1", "0").at(day).build())));
        malformed.put("occurred_at is out of range (years 1 to 9999)", UsageEvents.sendRaw("req_7",
                UsageEvents.json(EventBuilder.event().key(key).at(Instant.parse("+300000-01-01T00:00:00Z")).build())));
        // Java reads it; PostgreSQL refuses it (numeric holds 131072 digits before the point): isolated, the rest of
        // the batch is kept
        UsageRecorded huge = EventBuilder.event().key(key).at(day).reported("1e200000").build();
        UsageEvents.sendRaw(huge.requestId(), UsageEvents.json(huge));
        UsageEvents.send(last);

        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(LOG).contains(huge.requestId()));
        String log = Files.readString(LOG);
        assertFalse(log.contains(secret), "the log never repeats a malformed value's content nor its key");
        for (Map.Entry<String, Future<RecordMetadata>> m : malformed.entrySet()) {
            String expected = "offset " + UsageEvents.await(m.getValue()).offset() + ": " + m.getKey();
            assertTrue(log.contains(expected), "logged: " + expected);
        }
        assertTrue(log.contains("skipping usage event " + huge.eventId() + " (request " + huge.requestId()
                + "): PostgreSQL refused it"), "the refused event is named by its event and request id");
        assertTrue(
                log.matches("(?s).*" + huge.eventId() + " \\(request " + huge.requestId()
                        + "\\): PostgreSQL refused it \\(\\w+ \\(SQLSTATE 22\\d{3}\\)\\).*"),
                "with the SQLSTATE of a data exception");
        FinanceApi.api().queryParam("api_key", key).get("/api/usage/records").then().statusCode(200)
                .body("data.request_id", equalTo(List.of(last.requestId(), first.requestId())));
    }

    @Test
    void eventsOlderThanTheRawRecordRetentionAreSkipped() {
        String key = UsageEvents.unique("key");
        UsageRecorded old = EventBuilder.event().key(key).at(Instant.now().minus(Duration.ofDays(91))).build();
        UsageRecorded recent = EventBuilder.event().key(key).at(Instant.now().minus(Duration.ofDays(89))).build();
        double expiredBefore = Meters.meter("billing_events_expired_total");
        UsageEvents.send(old, recent);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 1
                && Meters.meter("billing_events_expired_total") >= expiredBefore + 1);
        assertEquals(1, Ledger.rolledUpRequests(key));
    }

    @Test
    void metersCountWhatWasStoredSkippedAndHowLongItTook() {
        String key = UsageEvents.unique("key");
        double ingested = Meters.meter("billing_events_ingested_total");
        double duplicates = Meters.meter("billing_events_duplicate_total");
        double malformed = Meters.meter("billing_events_malformed_total");
        double batches = Meters.meter("billing_batches_total");
        double writes = Meters.meter("billing_db_write_seconds_count");
        UsageRecorded a = EventBuilder.event().key(key).build();
        UsageRecorded b = EventBuilder.event().key(key).build();
        UsageEvents.sendRaw("req_garbage", "garbage");
        UsageEvents.send(a, b, a);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals(ingested + 2, Meters.meter("billing_events_ingested_total"), "ingested");
            assertEquals(duplicates + 1, Meters.meter("billing_events_duplicate_total"), "duplicates");
            assertEquals(malformed + 1, Meters.meter("billing_events_malformed_total"), "malformed");
        });
        assertTrue(Meters.meter("billing_batches_total") > batches, "batches");
        assertTrue(Meters.meter("billing_db_write_seconds_count") > writes, "write timer");
        assertTrue(Meters.meter("billing_ingest_lag_seconds") >= 0, "lag gauge");
        assertTrue(
                given().baseUri(ManagementInterface.url()).get("/q/metrics").asString()
                        .contains("kafka_consumer_fetch_manager_records_lag"),
                "the Kafka consumer's own lag");
    }
}
