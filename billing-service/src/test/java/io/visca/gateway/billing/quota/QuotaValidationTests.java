package io.visca.gateway.billing.quota;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.QuotaApi;

/**
 * A malformed exchange is a 400 in billing's error shape naming every mistake, before anything is locked or
 * granted; {@code /internal} opens with the service token only, and the finance API not with it.
 */
@QuarkusTest
class QuotaValidationTests {

    private static final String WINDOW = "2026-11-01T00:00:00Z";

    private static Map<String, Object> ask(String scope, String kind, Object limit, Object need, Object want) {
        Map<String, Object> ask = new java.util.HashMap<>();
        ask.put("ref", "a");
        ask.put("scope", scope);
        ask.put("kind", kind);
        ask.put("window_start", WINDOW);
        ask.put("limit", limit);
        ask.put("need", need);
        ask.put("want", want);
        return ask;
    }

    @Test
    void refusesMalformedAsksNamingEachField() {
        Map<String, Object> body = Map.of("router_id", "r1", "asks", List.of(
                ask("key:k", "dollars", 1, 0, 1),
                ask("user:k", "budget", 1, 0, 1),
                ask("provider:openai", "budget", 1, 0, 1),
                ask("key:k", "requests", 10, -1, 1),
                ask("key:k", "tokens", 10, 5, 2),
                ask("key:" + "x".repeat(201), "requests", 10, 0, 1)),
                "releases", List.of(Map.of("lease_id", "0b0c6c14-5a4f-4f4e-9f7a-1c2b3d4e5f60")));
        QuotaApi.internal().contentType("application/json").body(body).post("/internal/quota").then()
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_parameter"))
                .body("error.violations.field", hasItems("asks[0].kind", "asks[1].scope", "asks[2].scope",
                        "asks[3].need", "asks[4].need", "asks[5].scope", "releases[0].used"))
                .body("error.message", not(containsString("Exception")))
                .body("request_id", startsWith("req_"));
    }

    @Test
    void aLeaseIdOfTheRoutersChoosingIsAUuidOfABudgetAsk() {
        Map<String, Object> notUuid = ask("key:k", "budget", 1, 0, 1);
        notUuid.put("lease_id", "lease-1");
        Map<String, Object> onRate = ask("key:k", "requests", 10, 0, 1);
        onRate.put("lease_id", "0b0c6c14-5a4f-4f4e-9f7a-1c2b3d4e5f60");
        QuotaApi.internal().contentType("application/json")
                .body(Map.of("router_id", "r1", "asks", List.of(notUuid, onRate))).post("/internal/quota").then()
                .statusCode(400).body("error.violations.field", hasItems("asks[0].lease_id", "asks[1].lease_id"));
    }

    @Test
    void refusesAMissingRouterIdTooManyAsksAndAMissingBody() {
        List<Object> asks = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            asks.add(ask("key:k", "requests", 10, 0, 1));
        }
        QuotaApi.internal().contentType("application/json").body(Map.of("asks", asks)).post("/internal/quota")
                .then().statusCode(400)
                .body("error.violations.field", hasItems("router_id", "asks"));
        QuotaApi.internal().contentType("application/json").body("{\"router_id\": 5, \"asks\": {").post(
                "/internal/quota").then().statusCode(400).body("error.message", not(containsString("Exception")));
        QuotaApi.internal().contentType("application/json").post("/internal/quota").then().statusCode(400);
    }

    @Test
    void opensWithTheServiceTokenOnly() {
        Map<String, Object> body = Map.of("router_id", "r1", "asks", List.of(ask("key:k", "requests", 10, 0, 1)));
        given().contentType("application/json").body(body).post("/internal/quota").then().statusCode(401)
                .body("error.code", equalTo("missing_token"));
        FinanceApi.api().contentType("application/json").body(body).post("/internal/quota").then().statusCode(401)
                .body("error.code", equalTo("invalid_token"));
        QuotaApi.internal().get("/api/usage/summary").then().statusCode(401);
        QuotaApi.internal().contentType("application/json").body(body).post("/internal/quota").then()
                .statusCode(200).body("grants[0].ref", equalTo("a")).body("grants[0].lease_id", equalTo(null));
    }

    @Test
    void budgetStatusNeedsScopesAndAWindow() {
        QuotaApi.internal().get("/internal/quota/budgets").then().statusCode(400)
                .body("error.param", equalTo("window_start"));
        QuotaApi.internal().queryParam("window_start", Instant.now().toString()).get("/internal/quota/budgets")
                .then().statusCode(400).body("error.param", equalTo("scope"));
        QuotaApi.internal().queryParam("window_start", "yesterday").queryParam("scope", "key:a")
                .get("/internal/quota/budgets").then().statusCode(400).body("error.param", equalTo("window_start"));
        QuotaApi.internal().queryParam("window_start", WINDOW).queryParam("scope", "provider:openai")
                .get("/internal/quota/budgets").then().statusCode(400).body("error.param", equalTo("scope"));
    }
}
