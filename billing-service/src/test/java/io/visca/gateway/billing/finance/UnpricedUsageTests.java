package io.visca.gateway.billing.finance;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

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
 * Usage of a model without configured prices (the event's costs are null, e.g. a model discovered from a provider's
 * endpoints) is billed at 0 and flagged: summaries and the reconciliation count its requests and tokens as unpriced.
 */
@QuarkusTest
class UnpricedUsageTests {

    @Test
    void unpricedUsageIsBilledAtZeroAndFlaggedInSummariesAndReconciliation() {
        String key = UsageEvents.unique("key");
        String cluster = UsageEvents.unique("llama-3-cluster");
        Instant day = FinanceApi.freshDays(1);
        List<UsageRecorded> events = List.of(
                // priced
                EventBuilder.event().key(key).provider(cluster).model("priced").at(day).tokens(1000, 100, 0)
                        .cost("0.001", "0.0002").build(),
                // a discovered model: no prices, two requests, one of them with a reported cost
                EventBuilder.event().key(key).provider(cluster).model("discovered").at(day.plusSeconds(60))
                        .tokens(300, 40, 0).cost(null, null).build(),
                EventBuilder.event().key(key).provider(cluster).model("discovered").at(day.plusSeconds(3_700))
                        .tokens(500, 60, 10).cost(null, null).reported("0.0001").build(),
                // failed before reaching a model: no cost, but nothing was served, so nothing is unpriced
                EventBuilder.event().key(key).provider(cluster).model(null).status("error").at(day.plusSeconds(120))
                        .tokens(0, 0, 0).cost(null, null).build());
        UsageEvents.send(events);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == events.size());

        String to = day.plus(Duration.ofDays(1)).toString();
        // rows ordered by model: null (the failed request) last
        FinanceApi.api().queryParam("from", day.toString()).queryParam("to", to).queryParam("api_key", key)
                .queryParam("group_by", "model").get("/api/usage/summary").then().statusCode(200)
                .body("rows.model", equalTo(java.util.Arrays.asList("discovered", "priced", null)))
                .body("rows[0].requests", equalTo(2))
                .body("rows[0].total_cost", equalTo("0.00"))
                .body("rows[0].unpriced_requests", equalTo(2))
                .body("rows[0].unpriced_tokens", equalTo(900))
                .body("rows[1].unpriced_requests", equalTo(0))
                .body("rows[1].unpriced_tokens", equalTo(0))
                .body("rows[1].total_cost", equalTo("0.0012"))
                .body("rows[2].unpriced_requests", equalTo(0));
        FinanceApi.api().queryParam("from", day.toString()).queryParam("to", to).queryParam("api_key", key)
                .get("/api/usage/summary").then().statusCode(200)
                .body("rows[0].requests", equalTo(4))
                .body("rows[0].unpriced_requests", equalTo(2))
                .body("rows[0].unpriced_tokens", equalTo(900));
        // a bound between two hours sums the partial hour from the raw records: the same flags
        FinanceApi.api().queryParam("from", day.plusSeconds(30).toString()).queryParam("to", to)
                .queryParam("api_key", key).get("/api/usage/summary").then().statusCode(200)
                .body("rows[0].requests", equalTo(3))
                .body("rows[0].unpriced_requests", equalTo(2))
                .body("rows[0].unpriced_tokens", equalTo(900));

        FinanceApi.api().queryParam("from", day.toString()).queryParam("to", to).queryParam("provider", cluster)
                .get("/api/usage/reconciliation").then().statusCode(200)
                .body("rows.model", equalTo(java.util.Arrays.asList("discovered", "priced", null)))
                .body("rows[0].unpriced_requests", equalTo(2))
                .body("rows[0].unpriced_tokens", equalTo(900))
                .body("rows[0].requests_without_configured_cost", equalTo(2))
                .body("rows[0].configured_cost", equalTo("0.00"))
                .body("rows[1].unpriced_requests", equalTo(0))
                .body("rows[2].unpriced_requests", equalTo(0))
                .body("totals.unpriced_requests", equalTo(2))
                .body("totals.unpriced_tokens", equalTo(900));
    }
}
