package io.visca.gateway.billing.alert;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.Meters;
import io.visca.gateway.billing.testing.QuotaApi;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.billing.testing.WebhookReceiver;
import io.visca.gateway.billing.testing.WebhookReceiver.Post;
import io.visca.gateway.billing.testing.WebhookReceiverResource;
import io.visca.gateway.contracts.event.UsageRecorded;
import io.visca.gateway.contracts.provider.BudgetPeriod;

/**
 * Spend alerts: usage events through the real usage-recorded topic settle budget leases; the thresholds (50, 80,
 * 100 %) their spend reaches are recorded once per budget and period, whatever is redelivered, listed by
 * {@code GET /api/budget-alerts} and posted to a real HTTP receiver (signed), again and again while it fails.
 */
@QuarkusTest
class BudgetAlertTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void spendCrossingFiftyEightyAndHundredPercentAlertsOnceEach() throws Exception {
        String key = UsageEvents.unique("key");
        String scope = "key:" + key;
        Instant now = Instant.now();
        Instant window = BudgetPeriod.MONTH.start(now);
        String lease = lease(scope, window, "1.00");
        double recordedBefore = Meters.meter("billing_budget_alerts_recorded_total");

        UsageRecorded e1 = spend(key, now, "0.30", lease);
        UsageRecorded e2 = spend(key, now, "0.25", lease);
        UsageRecorded e3 = spend(key, now, "0.35", lease);
        UsageRecorded e4 = spend(key, now, "0.10", lease);
        UsageEvents.send(e1);
        await().atMost(WAIT).until(() -> Ledger.rawRows(key) == 1);
        assertEquals(List.of(), alerts(scope).getList("data"), "30 % crosses nothing");

        UsageEvents.send(e2);
        await().atMost(WAIT).until(() -> alerts(scope).getList("data").size() == 1);
        // redelivered with the next one: nothing settles or alerts twice
        UsageEvents.send(e1, e2, e3);
        await().atMost(WAIT).until(() -> alerts(scope).getList("data").size() == 2);
        UsageEvents.send(e4, e3);
        await().atMost(WAIT).until(() -> alerts(scope).getList("data").size() == 3);
        UsageEvents.send(e1, e2, e3, e4, EventBuilder.event().key(key).at(now).cost("0", "0").build());
        await().atMost(WAIT).until(() -> Ledger.rawRows(key) == 5);

        JsonPath page = alerts(scope);
        assertEquals(List.of(100, 80, 50), page.getList("data.threshold_percent"), "newest first");
        assertEquals(List.of("1.00", "0.90", "0.55"), page.getList("data.spent_usd"), "the spend when crossed");
        assertEquals(List.of("1.00", "1.00", "1.00"), page.getList("data.max_budget_usd"));
        assertEquals(List.of(key, key, key), page.getList("data.key_id"));
        assertEquals(window.toString(), page.getString("data[0].period_start"));
        assertNull(page.get("data[0].team"));
        assertNull(page.get("next_cursor"));
        assertEquals(3.0, Meters.meter("billing_budget_alerts_recorded_total") - recordedBefore, 0.0);

        await().atMost(WAIT).until(() -> WebhookReceiver.received(scope).size() == 3
                && alerts(scope).getList("data.delivered_at").stream().allMatch(d -> d != null));
        List<Post> posts = WebhookReceiver.received(scope);
        assertEquals(List.of(50, 80, 100), posts.stream().map(p -> p.body().get("threshold_percent").asInt()).toList());
        assertEquals(Set.copyOf(page.getList("data.id")), posts.stream().map(Post::alertId).collect(Collectors.toSet()));
        for (Post post : posts) {
            assertEquals(204, post.status());
            assertEquals("/hooks/budget?token=" + WebhookReceiverResource.URL_TOKEN, post.path());
            assertTrue(post.contentType().startsWith("application/json"));
            assertEquals("sha256=" + hmac(post.rawBody()), post.signature(), "signed with the secret");
            assertEquals(new TreeSet<>(List.of("type", "id", "scope", "key_id", "team", "period_start",
                    "threshold_percent", "spent_usd", "max_budget_usd", "crossed_at")), fields(post));
            assertEquals("budget.threshold_crossed", post.body().get("type").asText());
            assertEquals(post.alertId(), post.body().get("id").asText());
            assertEquals(scope, post.body().get("scope").asText());
            assertEquals(key, post.body().get("key_id").asText());
            assertEquals(window, Instant.parse(post.body().get("period_start").asText()));
            assertEquals("1.00", post.body().get("max_budget_usd").asText());
            assertFalse(post.rawBody().contains(WebhookReceiverResource.SECRET));
        }
        assertEquals("0.90", posts.get(1).body().get("spent_usd").asText());
        assertEquals(List.of(1, 1, 1), alerts(scope).getList("data.attempts"));

        String log = Files.readString(Path.of("target/billing-tests.log"));
        assertFalse(log.contains(WebhookReceiverResource.URL_TOKEN), "the webhook URL is never logged");
        assertFalse(log.contains(WebhookReceiverResource.SECRET), "nor its secret");
    }

    @Test
    void aJumpAcrossSeveralThresholdsRecordsEachOfThem() {
        String team = UsageEvents.unique("team");
        String scope = "team:" + team;
        Instant now = Instant.now();
        Instant window = BudgetPeriod.WEEK.start(now);
        String lease = lease(scope, window, "0.40");

        UsageEvents.send(EventBuilder.event().key(UsageEvents.unique("key")).team(team).at(now).cost("0.35", "0")
                .leases(lease).build());
        await().atMost(WAIT).until(() -> alerts(scope).getList("data").size() == 2);
        JsonPath page = alerts(scope);
        assertEquals(List.of(80, 50), page.getList("data.threshold_percent"));
        assertEquals(List.of("0.35", "0.35"), page.getList("data.spent_usd"));
        assertEquals(List.of(team, team), page.getList("data.team"));
        assertNull(page.get("data[0].key_id"));
        await().atMost(WAIT).until(() -> WebhookReceiver.received(scope).size() == 2);
        assertEquals(team, WebhookReceiver.received(scope).get(0).body().get("team").asText());
    }

    @Test
    void aFailingReceiverGetsTheAlertOnceItRecovers() {
        String key = UsageEvents.unique("key");
        String scope = "key:" + key;
        Instant now = Instant.now();
        String lease = lease(scope, BudgetPeriod.DAY.start(now), "2");
        WebhookReceiver.failing(scope, true);
        try {
            UsageEvents.send(spend(key, now, "1.2", lease));
            // retried with backoff while it answers 503; the API shows why
            await().atMost(WAIT).until(() -> WebhookReceiver.received(scope).size() >= 3);
            JsonPath failing = alerts(scope);
            assertNull(failing.get("data[0].delivered_at"));
            assertEquals("HTTP 503", failing.getString("data[0].last_error"));
            assertTrue(failing.getInt("data[0].attempts") >= 3);
        } finally {
            WebhookReceiver.failing(scope, false);
        }
        await().atMost(WAIT).until(() -> alerts(scope).get("data[0].delivered_at") != null);
        List<Post> posts = WebhookReceiver.received(scope);
        assertEquals(1, posts.stream().filter(p -> p.status() == 204).count(), "delivered once it recovered");
        assertEquals(204, posts.get(posts.size() - 1).status());
        assertEquals(1, posts.stream().map(Post::alertId).distinct().count(), "every attempt carries the same id");
        JsonPath delivered = alerts(scope);
        assertNull(delivered.get("data[0].last_error"));
        assertEquals(posts.size(), delivered.getInt("data[0].attempts"));
    }

    @Test
    void aReceiverThatNeverAnswersTimesOutAndGetsItLater() {
        String key = UsageEvents.unique("key");
        String scope = "key:" + key;
        Instant now = Instant.now();
        String lease = lease(scope, BudgetPeriod.DAY.start(now), "1");
        WebhookReceiver.hanging(scope);
        try {
            UsageEvents.send(spend(key, now, "0.5", lease));
            await().atMost(WAIT).until(() -> "no answer within 2000 ms".equals(alerts(scope).get("data[0].last_error")));
            assertNull(alerts(scope).get("data[0].delivered_at"));
        } finally {
            WebhookReceiver.failing(scope, false);
        }
        await().atMost(WAIT).until(() -> alerts(scope).get("data[0].delivered_at") != null);
        assertEquals(204, WebhookReceiver.received(scope).get(WebhookReceiver.received(scope).size() - 1).status());
    }

    @Test
    void aNewPeriodAlertsAgain() {
        String key = UsageEvents.unique("key");
        String scope = "key:" + key;
        Instant now = Instant.now();
        Instant today = BudgetPeriod.DAY.start(now);
        Instant yesterday = today.minus(Duration.ofDays(1));
        // spent yesterday, so today's budget opens at zero
        UsageEvents.send(spend(key, yesterday.plusSeconds(60), "0.6", lease(scope, yesterday, "1")));
        await().atMost(WAIT).until(() -> alerts(scope).getList("data").size() == 1);
        UsageEvents.send(spend(key, now, "0.6", lease(scope, today, "1")));
        await().atMost(WAIT).until(() -> alerts(scope).getList("data").size() == 2);

        JsonPath page = alerts(scope);
        assertEquals(List.of(today.toString(), yesterday.toString()), page.getList("data.period_start"));
        assertEquals(List.of(50, 50), page.getList("data.threshold_percent"));
        assertNotEquals(page.getString("data[0].id"), page.getString("data[1].id"));
        await().atMost(WAIT).until(() -> WebhookReceiver.received(scope).size() == 2);
    }

    @Test
    void listsPageByPageAndRefusesBadParameters() {
        String key = UsageEvents.unique("key");
        String scope = "key:" + key;
        Instant now = Instant.now();
        UsageEvents.send(spend(key, now, "1", lease(scope, BudgetPeriod.TOTAL.start(now), "1")));
        await().atMost(WAIT).until(() -> alerts(scope).getList("data").size() == 3);

        JsonPath first = FinanceApi.api().queryParam("scope", scope).queryParam("limit", 2).get("/api/budget-alerts")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(100, 80), first.getList("data.threshold_percent"));
        String cursor = first.getString("next_cursor");
        assertNotNull(cursor);
        JsonPath second = FinanceApi.api().queryParam("scope", scope).queryParam("limit", 2)
                .queryParam("cursor", cursor).get("/api/budget-alerts").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(50), second.getList("data.threshold_percent"));
        assertNull(second.get("next_cursor"));
        assertTrue(FinanceApi.api().get("/api/budget-alerts").then().statusCode(200).extract().jsonPath()
                .getList("data").size() >= 3, "without a scope: every budget's");

        FinanceApi.api().queryParam("limit", 0).queryParam("cursor", "abc").queryParam("colour", "red")
                .get("/api/budget-alerts").then().statusCode(400)
                .body("error.type", org.hamcrest.Matchers.equalTo("invalid_request_error"))
                .body("error.violations.field", org.hamcrest.Matchers.containsInAnyOrder("limit", "cursor", "colour"))
                .body("request_id", org.hamcrest.Matchers.notNullValue());
        RestAssured.given().get("/api/budget-alerts").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer " + QuotaApi.SERVICE_TOKEN).get("/api/budget-alerts")
                .then().statusCode(401).body(containsString("error"));
    }

    private static String lease(String scope, Instant window, String limit) {
        String lease = QuotaApi.exchange(QuotaApi.asks(UsageEvents.unique("router"),
                QuotaApi.budget("b", scope, window, limit, "0.01", limit))).grants().get(0).leaseId();
        assertNotNull(lease, "the whole budget leased");
        return lease;
    }

    private static UsageRecorded spend(String key, Instant at, String cost, String lease) {
        return EventBuilder.event().key(key).at(at).cost(cost, "0").leases(lease).build();
    }

    private static JsonPath alerts(String scope) {
        return FinanceApi.api().queryParam("scope", scope).get("/api/budget-alerts").then().statusCode(200).extract()
                .jsonPath();
    }

    private static Set<String> fields(Post post) {
        Set<String> names = new TreeSet<>();
        post.body().fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WebhookReceiverResource.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
