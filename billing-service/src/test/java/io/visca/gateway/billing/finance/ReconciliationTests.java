package io.visca.gateway.billing.finance;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

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

/** Configured against reported cost per provider and model: the difference over the requests that have both. */
@QuarkusTest
class ReconciliationTests {

    @Test
    void showsTheDifferenceAndWhatHadNoReportedCost() {
        String key = UsageEvents.unique("key");
        String anthropic = UsageEvents.unique("anthropic");
        String vllm = UsageEvents.unique("vllm");
        Instant day = FinanceApi.freshDays(1);
        List<UsageRecorded> events = List.of(
                // upstream charged 0.0000007 more than the configured prices say
                event(key, anthropic, "claude", day, "0.003", "0.0015", "0.0045007"),
                event(key, anthropic, "claude", day.plusSeconds(3_700), "0.0001", "0.00002", "0.00012"),
                // no reported cost: counted, configured cost not compared
                event(key, anthropic, "claude", day.plusSeconds(7_300), "0.25", "0.5", null),
                // a self-hosted model without prices that still reports a cost
                event(key, vllm, "llama", day.plusSeconds(60), null, null, "0.00001"),
                event(key, vllm, "llama", day.plusSeconds(120), null, null, null));
        UsageEvents.send(events);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == events.size());

        String base = anthropic.compareTo(vllm) < 0 ? "rows[0]" : "rows[1]";
        String other = base.equals("rows[0]") ? "rows[1]" : "rows[0]";
        FinanceApi.api().queryParam("from", day.toString()).queryParam("to", day.plus(Duration.ofDays(1)).toString())
                .get("/api/usage/reconciliation").then().statusCode(200)
                .body("currency", equalTo("USD"))
                .body("rows.size()", equalTo(2))
                .body(base + ".provider", equalTo(anthropic))
                .body(base + ".model", equalTo("claude"))
                .body(base + ".requests", equalTo(3))
                .body(base + ".requests_with_reported_cost", equalTo(2))
                .body(base + ".requests_without_reported_cost", equalTo(1))
                .body(base + ".requests_without_configured_cost", equalTo(0))
                .body(base + ".configured_cost", equalTo("0.75462"))
                .body(base + ".reported_cost", equalTo("0.0046207"))
                .body(base + ".configured_cost_where_reported", equalTo("0.00462"))
                .body(base + ".difference", equalTo("0.0000007"))
                .body(other + ".provider", equalTo(vllm))
                .body(other + ".requests", equalTo(2))
                .body(other + ".requests_with_reported_cost", equalTo(1))
                .body(other + ".requests_without_configured_cost", equalTo(2))
                .body(other + ".configured_cost", equalTo("0.00"))
                .body(other + ".reported_cost", equalTo("0.00001"))
                .body(other + ".difference", equalTo("0.00001"))
                .body("totals.provider", nullValue())
                .body("totals.requests", equalTo(5))
                .body("totals.requests_with_reported_cost", equalTo(3))
                .body("totals.configured_cost", equalTo("0.75462"))
                .body("totals.reported_cost", equalTo("0.0046307"))
                .body("totals.difference", equalTo("0.0000107"));

        FinanceApi.api().queryParam("from", day.toString()).queryParam("to", day.plus(Duration.ofDays(1)).toString())
                .queryParam("provider", vllm).get("/api/usage/reconciliation").then().statusCode(200)
                .body("rows.size()", equalTo(1)).body("totals.requests", equalTo(2));
    }

    private static UsageRecorded event(String key, String provider, String model, Instant at, String in, String out,
            String reported) {
        return EventBuilder.event().key(key).provider(provider).model(model).at(at).cost(in, out).reported(reported)
                .build();
    }
}
