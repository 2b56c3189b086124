package io.visca.gateway.billing.finance;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;

/** The raw records: newest first, cursor pages without gaps or repeats, filters, and every field of a record. */
@QuarkusTest
class UsageRecordsTests {

    private static final Comparator<UsageRecorded> NEWEST_FIRST = Comparator
            .comparing(UsageRecorded::occurredAt).thenComparing(UsageRecorded::eventId).reversed();

    @Test
    void pagesCoverEveryRecordOnceNewestFirstEvenWhenNewOnesArriveMeanwhile() {
        String key = UsageEvents.unique("key");
        Instant day = FinanceApi.freshDays(1);
        List<UsageRecorded> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // five share one instant: the event id (unique) breaks the tie
            Instant at = i < 5 ? day.plusSeconds(3_600) : day.plusSeconds(60L * i).plusNanos(123_456_000L);
            events.add(EventBuilder.event().key(key).at(at).build());
        }
        sendAndAwait(key, events);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = FinanceApi.api().queryParam("api_key", key).queryParam("limit", 7);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/usage/records").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("data.event_id", String.class));
            cursor = page.getString("next_cursor");
            if (pages++ == 0) {
                // newer records stored between two pages do not shift the pages that follow
                UsageEvents.send(EventBuilder.event().key(key).at(day.plusSeconds(80_000)).build());
                await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 26);
            }
        } while (cursor != null);

        assertEquals(4, pages, "25 records at 7 a page");
        assertEquals(events.stream().sorted(NEWEST_FIRST).map(UsageRecorded::eventId).toList(), seen);
        assertEquals(25, new HashSet<>(seen).size(), "no repeats");
    }

    @Test
    void filtersSelectExactlyTheMatchingRecords() {
        String key = UsageEvents.unique("key");
        String other = UsageEvents.unique("key");
        String provider = UsageEvents.unique("vllm");
        Instant day = FinanceApi.freshDays(1);
        List<UsageRecorded> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(EventBuilder.event().key(i % 4 == 0 ? other : key).provider(i % 3 == 0 ? provider : "openai")
                    .model(i % 2 == 0 ? "gpt-4o" : "gpt-4o-mini").status(i % 5 == 0 ? "error" : "success")
                    .stream(i % 2 == 1).at(day.plusSeconds(600L * i)).build());
        }
        UsageEvents.send(events);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 9 && Ledger.rawRows(other) == 3);

        String from = day.plusSeconds(600).toString();
        String to = day.plusSeconds(6_000).toString();
        assertFilter(events, e -> e.apiKeyId().equals(key), "api_key", key);
        assertFilter(events, e -> e.provider().equals(provider), "provider", provider);
        assertFilter(events, e -> e.apiKeyId().equals(key) && e.servedModel().equals("gpt-4o-mini"), "api_key", key,
                "model", "gpt-4o-mini");
        assertFilter(events, e -> e.apiKeyId().equals(key) && e.status().equals("error"), "api_key", key, "status",
                "error");
        assertFilter(events, e -> e.apiKeyId().equals(key) && e.stream(), "api_key", key, "stream", "true");
        assertFilter(events, e -> e.apiKeyId().equals(other) && !e.stream(), "api_key", other, "stream", "false");
        assertFilter(events, e -> !e.occurredAt().isBefore(Instant.parse(from))
                && e.occurredAt().isBefore(Instant.parse(to)) && e.provider().equals(provider), "provider", provider,
                "from", from, "to", to);
    }

    @Test
    void aRecordShowsWhatTheRouterReported() {
        String key = UsageEvents.unique("key");
        Instant at = FinanceApi.freshDays(1).plusSeconds(42).plusNanos(123_456_789);
        UsageRecorded event = EventBuilder.event().key(key).provider("anthropic").model("claude-3-5-sonnet")
                .requestedModel("auto").at(at).stream(true).tokens(1200, 300, 1000)
                .cost("0.0036", "0.0045").reported("0.0081000").build();
        sendAndAwait(key, List.of(event));

        Map<String, Object> record = FinanceApi.api().queryParam("api_key", key).get("/api/usage/records").then()
                .statusCode(200).body("next_cursor", nullValue()).extract().jsonPath().getMap("data[0]");
        assertEquals(event.eventId(), record.get("event_id"));
        assertEquals(event.requestId(), record.get("request_id"));
        assertEquals(at.truncatedTo(ChronoUnit.MICROS).toString(), record.get("occurred_at"),
                "UTC, cut to microseconds (not rounded: a request stays in its hour)");
        assertEquals(key, record.get("api_key_id"));
        assertEquals("anthropic", record.get("provider"));
        assertEquals("anthropic/0", record.get("endpoint"));
        assertEquals("auto", record.get("requested_model"));
        assertEquals("claude-3-5-sonnet", record.get("served_model"));
        assertEquals("claude-3-5-sonnet", record.get("upstream_model"));
        assertEquals("chat", record.get("operation"));
        assertEquals("cost", record.get("strategy"));
        assertEquals("success", record.get("status"));
        assertEquals(200, record.get("http_status"));
        assertNull(record.get("error_type"));
        assertEquals(true, record.get("stream"));
        assertEquals(1, record.get("attempts"));
        assertEquals(1200, record.get("prompt_tokens"));
        assertEquals(300, record.get("completion_tokens"));
        assertEquals(1000, record.get("cached_tokens"));
        assertEquals(1500, record.get("total_tokens"));
        assertEquals("0.0036", record.get("input_cost"));
        assertEquals("0.0045", record.get("output_cost"));
        assertEquals("0.0081", record.get("total_cost"));
        assertEquals("0.0081", record.get("reported_cost"));
        assertEquals(120, record.get("latency_ms"));
        assertEquals(35, record.get("time_to_first_token_ms"));
        Map<String, Object> attempt = new HashMap<>(Map.of("provider", "anthropic", "endpoint", "anthropic/0", "model",
                "claude-3-5-sonnet", "http_status", 200, "latency_ms", 118.5f));
        attempt.put("error_code", null);
        assertEquals(List.of(attempt), record.get("attempt_log"));
    }

    private static void sendAndAwait(String key, List<UsageRecorded> events) {
        UsageEvents.send(events);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == events.size());
    }

    private static void assertFilter(List<UsageRecorded> events, Predicate<UsageRecorded> matches,
            String... parameters) {
        var request = FinanceApi.api().queryParam("limit", 1000);
        for (int i = 0; i < parameters.length; i += 2) {
            request.queryParam(parameters[i], parameters[i + 1]);
        }
        List<String> got = request.get("/api/usage/records").then().statusCode(200)
                .body("next_cursor", equalTo(null)).extract().jsonPath().getList("data.event_id", String.class);
        assertEquals(events.stream().filter(matches).sorted(NEWEST_FIRST).map(UsageRecorded::eventId).toList(), got,
                String.join(" ", parameters));
    }
}
