package io.visca.gateway.registry.policy;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.contracts.provider.BudgetPeriod;
import io.visca.gateway.registry.TestApi;
import io.visca.gateway.registry.TinyHttpServer;
import io.visca.gateway.registry.dashboard.FakeBackends;
import io.visca.gateway.registry.dashboard.FakeBackendsResource;

/**
 * The budget shown by one key's or team's GET: limit and period from the registry, the period's spend and
 * reservations from billing's quota store (a fake of its wire format on loopback), and the answer when billing is down.
 */
@QuarkusTest
class BudgetViewTests {

    @FakeBackendsResource.Inject
    FakeBackends fake;

    @AfterEach
    void billingBack() {
        fake.billingDown(false);
        fake.quotaSilent(false);
    }

    @Test
    void showsTheKeysSpendReservationsAndWhatRemainsInTheCurrentPeriod() {
        String id = key("{'name':'spender','max_budget_usd':'10','budget_period':'week'}");
        fake.budget("key:" + id, "2.5", "1.2500000001");
        int asked = fake.billingRequests().size();

        JsonPath view = TestApi.exact(admin().get("/api/keys/" + id).then().statusCode(200));
        String weekStart = BudgetPeriod.WEEK.start(Instant.now()).toString();
        assertEquals("week", view.getString("budget.period"));
        assertEquals(weekStart, view.getString("budget.period_start"));
        assertEquals(new BigDecimal("10"), new BigDecimal(view.getString("budget.max_usd")));
        assertEquals(new BigDecimal("2.5"), view.get("budget.spend_usd"));
        assertEquals(new BigDecimal("1.2500000001"), view.get("budget.reserved_usd"));
        assertEquals(new BigDecimal("6.2499999999"), view.get("budget.remaining_usd"));
        assertEquals(false, view.getBoolean("budget.spend_unavailable"));

        List<TinyHttpServer.Received> calls = fake.billingRequests();
        TinyHttpServer.Received call = calls.get(calls.size() - 1);
        assertEquals(asked + 1, calls.size(), "one read of the quota store");
        assertEquals("/internal/quota/budgets", call.path());
        assertEquals("Bearer " + TestApi.SERVICE_TOKEN, call.headers().get("authorization"));
        assertTrue(call.query().contains("scope=key%3A" + id) || call.query().contains("scope=key:" + id),
                call.query());
        assertTrue(call.query().contains(weekStart.replace(":", "%3A")) || call.query().contains(weekStart),
                call.query());
    }

    @Test
    void remainingNeverGoesBelowZero() {
        String id = key("{'name':'over','max_budget_usd':1}");
        fake.budget("key:" + id, "0.9", "0.35");
        JsonPath view = TestApi.exact(admin().get("/api/keys/" + id).then().statusCode(200));
        assertEquals("month", view.getString("budget.period"));
        assertEquals(BudgetPeriod.MONTH.start(Instant.now()).toString(), view.getString("budget.period_start"));
        assertEquals(new BigDecimal("0"), new BigDecimal(view.getString("budget.remaining_usd")));
    }

    @Test
    void aScopeTheStoreDoesNotKnowHasSpentNothing() {
        String id = key("{'name':'fresh','max_budget_usd':'0.5','budget_period':'total'}");
        JsonPath view = TestApi.exact(admin().get("/api/keys/" + id).then().statusCode(200));
        assertEquals(Instant.EPOCH.toString(), view.getString("budget.period_start"));
        assertEquals(new BigDecimal("0"), new BigDecimal(view.getString("budget.spend_usd")));
        assertEquals(new BigDecimal("0.5"), view.get("budget.remaining_usd"));
    }

    @Test
    void showsATeamsSpendAcrossItsKeys() {
        String team = uniqueName("spenders");
        admin().body(json("{'name':'" + team + "','max_budget_usd':50,'budget_period':'day'}")).post("/api/teams")
                .then().statusCode(201);
        fake.budget("team:" + team, "20", "5");
        JsonPath view = TestApi.exact(admin().get("/api/teams/" + team).then().statusCode(200));
        assertEquals(BudgetPeriod.DAY.start(Instant.now()).toString(), view.getString("budget.period_start"));
        assertEquals(new BigDecimal("25"), new BigDecimal(view.getString("budget.remaining_usd")));
    }

    @Test
    void withBillingDownTheBudgetIsShownWithoutItsSpend() {
        String id = key("{'name':'blind','max_budget_usd':3,'requests_per_minute':9}");
        fake.budget("key:" + id, "1", "0");
        fake.billingDown(true);
        admin().get("/api/keys/" + id).then().statusCode(200)
                .body("requests_per_minute", equalTo(9))
                .body("budget.period", equalTo("month")).body("budget.max_usd", equalTo(3))
                .body("budget.spend_usd", nullValue()).body("budget.reserved_usd", nullValue())
                .body("budget.remaining_usd", nullValue()).body("budget.spend_unavailable", equalTo(true));
    }

    @Test
    void billingThatNeverAnswersDoesNotHoldTheAnswerLong() {
        String team = uniqueName("patient");
        admin().body(json("{'name':'" + team + "','max_budget_usd':3}")).post("/api/teams").then().statusCode(201);
        fake.quotaSilent(true);
        Instant start = Instant.now();
        admin().get("/api/teams/" + team).then().statusCode(200)
                .body("budget.spend_unavailable", equalTo(true)).body("budget.spend_usd", nullValue());
        Duration took = Duration.between(start, Instant.now());
        assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "answered after " + took);
    }

    @Test
    void withoutABudgetBillingIsNotAsked() {
        String id = key("{'name':'unlimited','requests_per_minute':5}");
        int asked = fake.billingRequests().size();
        admin().get("/api/keys/" + id).then().statusCode(200).body(not(containsString("\"budget\"")));
        assertEquals(asked, fake.billingRequests().size());
        assertFalse(admin().get("/api/keys").then().extract().asString().contains("spend_usd"),
                "the list shows no spend");
    }

    private static String key(String body) {
        return admin().body(json(body)).post("/api/keys").then().statusCode(201).extract().path("id");
    }
}
