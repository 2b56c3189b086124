package io.visca.gateway.billing.finance;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * Summaries add up exactly, to the last token and the last decimal of a dollar, for every combination of group_by:
 * checked against totals computed here from the events sent (BigDecimal, no rounding anywhere).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageSummaryTests {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:00:00'Z'")
            .withZone(ZoneOffset.UTC);
    private final List<UsageRecorded> events = new ArrayList<>();
    private Instant from;
    private Instant to;
    private String[] providers;

    @BeforeEach
    void sendTwoDaysOfTrafficOnce() {
        if (!events.isEmpty()) {
            return;
        }
        from = FinanceApi.freshDays(2);
        to = from.plus(Duration.ofDays(2));
        providers = new String[] { UsageEvents.unique("openai"), UsageEvents.unique("vllm"), null };
        String[] models = { "gpt-4o", "llama-3-70b", null };
        String[] keys = { UsageEvents.unique("key"), UsageEvents.unique("key") };
        Random random = new Random(42);
        for (int i = 0; i < 240; i++) {
            int p = random.nextInt(10) == 0 ? 2 : random.nextInt(2);
            String model = p == 2 ? null : models[random.nextInt(2)];
            Instant at = from.plusSeconds(random.nextInt(2 * 86_400)).plusNanos(random.nextInt(1_000_000) * 1000L);
            String in = random.nextInt(8) == 0 ? null : decimal(random);
            String out = in == null ? null : decimal(random);
            String reported = random.nextInt(3) == 0 ? null : decimal(random);
            String status = random.nextInt(6) == 0 ? "error" : random.nextInt(20) == 0 ? "client_closed" : "success";
            long prompt = random.nextInt(5_000);
            UsageRecorded e = EventBuilder.event().key(keys[random.nextInt(2)]).provider(providers[p]).model(model)
                    .at(at).status(status)
                    .tokens(prompt, random.nextInt(2_000), random.nextInt(3) == 0 ? prompt / 2 : 0)
                    .cost(in, out).reported(reported).build();
            events.add(e);
        }
        UsageEvents.send(events);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> FinanceApi.api()
                .queryParam("from", from.toString()).queryParam("to", to.toString())
                .get("/api/usage/summary").then().statusCode(200).body("rows[0].requests", equalTo(events.size())));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "provider", "model", "api_key", "day", "hour", "provider,model", "day,provider",
            "api_key,model,day", "hour,provider,model,api_key" })
    void totalsAreExactForEveryGrouping(String groupBy) {
        List<String> groups = groupBy.isEmpty() ? List.of() : Arrays.asList(groupBy.split(","));
        Map<List<String>, Totals> expected = new HashMap<>();
        for (UsageRecorded e : events) {
            List<String> key = groups.stream().map(g -> dimension(g).apply(e)).toList();
            expected.computeIfAbsent(key, k -> new Totals()).add(e);
        }
        List<Map<String, Object>> rows = FinanceApi.api().queryParam("from", from.toString())
                .queryParam("to", to.toString()).queryParam("group_by", groupBy)
                .get("/api/usage/summary").then().statusCode(200)
                .body("currency", equalTo("USD"))
                .body("from", equalTo(from.toString()))
                .extract().jsonPath().getList("rows");
        assertEquals(expected.size(), rows.size(), "rows for group_by=" + groupBy);
        List<List<String>> order = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            List<String> key = new ArrayList<>();
            for (String g : groups) {
                String field = g.equals("api_key") ? "api_key_id" : g;
                assertTrue(row.containsKey(field), "row has " + field + ": " + row);
                key.add((String) row.get(field));
            }
            // 10 totals, and since issue 15 unpriced_requests and unpriced_tokens
            assertEquals(groups.size() + 12, row.size(), "only the grouped dimensions and the totals: " + row);
            Totals want = expected.get(key);
            assertTrue(want != null, "unexpected group " + key);
            want.assertEquals(row, "group_by=" + groupBy + " " + key);
            order.add(key);
        }
        List<List<String>> sorted = new ArrayList<>(order);
        sorted.sort(UsageSummaryTests::compareKeys);
        assertEquals(sorted, order, "rows are ordered by the grouped values, nulls last");
    }

    @Test
    void aProviderFilterNarrowsTheTotals() {
        Totals want = new Totals();
        events.stream().filter(e -> providers[0].equals(e.provider())).forEach(want::add);
        Map<String, Object> row = FinanceApi.api().queryParam("from", from.toString()).queryParam("to", to.toString())
                .queryParam("provider", providers[0]).get("/api/usage/summary").then().statusCode(200)
                .extract().jsonPath().getMap("rows[0]");
        want.assertEquals(row, "provider filter");
    }

    @Test
    void datesMeanTheirStartAndAnEmptyRangeIsOneZeroRow() {
        String day = from.toString().substring(0, 10);
        Totals firstDay = new Totals();
        events.stream().filter(e -> e.occurredAt().isBefore(from.plus(Duration.ofDays(1)))).forEach(firstDay::add);
        Map<String, Object> row = FinanceApi.api().queryParam("from", day)
                .queryParam("to", from.plus(Duration.ofDays(1)).toString().substring(0, 10))
                .get("/api/usage/summary").then().statusCode(200).extract().jsonPath().getMap("rows[0]");
        firstDay.assertEquals(row, "first day by dates");

        Instant before = from.minus(Duration.ofDays(3));
        FinanceApi.api().queryParam("from", before.toString()).queryParam("to", from.toString())
                .get("/api/usage/summary").then().statusCode(200)
                .body("rows.size()", equalTo(1)).body("rows[0].requests", equalTo(0))
                .body("rows[0].total_cost", equalTo("0.00")).body("rows[0].reported_cost", equalTo("0.00"));
        FinanceApi.api().queryParam("from", before.toString()).queryParam("to", from.toString())
                .queryParam("group_by", "provider").get("/api/usage/summary").then().statusCode(200)
                .body("rows.size()", equalTo(0));
    }

    private static Function<UsageRecorded, String> dimension(String group) {
        return switch (group) {
            case "provider" -> UsageRecorded::provider;
            case "model" -> UsageRecorded::servedModel;
            case "api_key" -> UsageRecorded::apiKeyId;
            case "day" -> e -> e.occurredAt().toString().substring(0, 10);
            case "hour" -> e -> HOUR.format(e.occurredAt().truncatedTo(ChronoUnit.HOURS));
            default -> throw new IllegalArgumentException(group);
        };
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            String y = b.get(i);
            int c = x == null ? (y == null ? 0 : 1) : y == null ? -1 : x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** A cost with up to 10 decimals, as prices per token give. */
    private static String decimal(Random random) {
        return BigDecimal.valueOf(random.nextInt(50_000_000), random.nextInt(4) + 7).toPlainString();
    }

    /** Expected totals, summed here. */
    static final class Totals {
        long requests;
        long errors;
        long prompt;
        long completion;
        long cached;
        BigDecimal input = BigDecimal.ZERO;
        BigDecimal output = BigDecimal.ZERO;
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal reported = BigDecimal.ZERO;
        long unpriced;
        long unpricedTokens;

        void add(UsageRecorded e) {
            if (e.totalCost() == null && e.servedModel() != null) {
                unpriced++;
                unpricedTokens += e.promptTokens() + e.completionTokens();
            }
            requests++;
            errors += e.status().equals("error") ? 1 : 0;
            prompt += e.promptTokens();
            completion += e.completionTokens();
            cached += e.cachedTokens();
            input = e.inputCost() == null ? input : input.add(e.inputCost());
            output = e.outputCost() == null ? output : output.add(e.outputCost());
            total = e.totalCost() == null ? total : total.add(e.totalCost());
            reported = e.reportedCost() == null ? reported : reported.add(e.reportedCost());
        }

        void assertEquals(Map<String, Object> row, String what) {
            Map<String, Object> want = new LinkedHashMap<>();
            want.put("requests", requests);
            want.put("errors", errors);
            want.put("prompt_tokens", prompt);
            want.put("completion_tokens", completion);
            want.put("cached_tokens", cached);
            want.put("total_tokens", prompt + completion);
            want.put("unpriced_requests", unpriced);
            want.put("unpriced_tokens", unpricedTokens);
            Map<String, Object> got = new LinkedHashMap<>();
            for (String k : want.keySet()) {
                got.put(k, ((Number) row.get(k)).longValue());
            }
            org.junit.jupiter.api.Assertions.assertEquals(want, got, what);
            money(input, row.get("input_cost"), what + " input_cost");
            money(output, row.get("output_cost"), what + " output_cost");
            money(total, row.get("total_cost"), what + " total_cost");
            money(reported, row.get("reported_cost"), what + " reported_cost");
        }

        private static void money(BigDecimal want, Object got, String what) {
            assertTrue(got instanceof String, what + " is a decimal string: " + got);
            assertFalse(((String) got).contains("E"), what + " has no exponent: " + got);
            org.junit.jupiter.api.Assertions.assertEquals(0, want.compareTo(new BigDecimal((String) got)),
                    what + ": want " + want.toPlainString() + ", got " + got);
        }
    }
}
