package io.visca.gateway.billing.ledger;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.Meters;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * The retention job deletes raw records older than billing.retention.raw-records (90 days), a few rows per
 * transaction (2 in the test profile), and nothing else: the summaries over the deleted records stay exact.
 */
@QuarkusTest
class RetentionTests {

    /** Earlier than any day other tests use (2040 on), so the purge below takes none of their records. */
    private static final Instant DAY = Instant.parse("2039-06-01T00:00:00Z");

    @Inject
    RetentionJob retention;

    @Test
    void deletesOnlyRawRecordsOlderThanTheRetentionAndKeepsTheirTotals() throws Throwable {
        String key = UsageEvents.unique("key");
        List<UsageRecorded> old = List.of(
                EventBuilder.event().key(key).at(DAY.plusSeconds(3_600)).cost("0.10", "0.01").build(),
                EventBuilder.event().key(key).at(DAY.plusSeconds(7_200)).cost("0.20", "0.02").build(),
                EventBuilder.event().key(key).at(DAY.plusSeconds(86_399)).cost("0.30", "0.03").build());
        List<UsageRecorded> kept = List.of(
                EventBuilder.event().key(key).at(DAY.plusSeconds(86_400)).cost("1", "0.1").build(),
                EventBuilder.event().key(key).at(DAY.plusSeconds(2 * 86_400)).cost("2", "0.2").build());
        UsageEvents.send(old);
        UsageEvents.send(kept);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 5);
        double deletedBefore = Meters.meter("billing_retention_deleted_records_total");

        // as the scheduled run would on the day 90 days after DAY + 1 day
        Instant now = DAY.plus(Duration.ofDays(91));
        long deleted = VertxContextSupport.subscribeAndAwait(() -> retention.purge(now));

        assertTrue(deleted >= 3, "deleted " + deleted);
        assertEquals(2, Ledger.rawRows(key), "only the records before now - 90 days are gone");
        FinanceApi.api().queryParam("api_key", key).get("/api/usage/records").then().statusCode(200)
                .body("data.request_id", equalTo(List.of(kept.get(1).requestId(), kept.get(0).requestId())));
        assertEquals(5, Ledger.rolledUpRequests(key), "the rollup keeps every request");
        FinanceApi.api().queryParam("from", "2039-06-01").queryParam("to", "2039-06-04").queryParam("group_by", "day")
                .get("/api/usage/summary").then().statusCode(200)
                .body("rows.day", equalTo(List.of("2039-06-01", "2039-06-02", "2039-06-03")))
                .body("rows.requests", equalTo(List.of(3, 1, 1)))
                .body("rows.total_cost", equalTo(List.of("0.66", "1.10", "2.20")));
        assertEquals(deletedBefore + deleted, Meters.meter("billing_retention_deleted_records_total"));

        long again = VertxContextSupport.subscribeAndAwait(() -> retention.purge(now));
        assertEquals(0, again, "nothing left to delete");
    }
}
