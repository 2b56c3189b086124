package io.visca.gateway.registry.apikey.rest;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.service;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.registry.TestApi;

/** A key's policy: created, shown, changed with merge-patch semantics, and as the router's snapshot carries it. */
@QuarkusTest
class KeyPolicyTests {

    @Test
    void createsAKeyWithItsWholePolicyAndShowsItEverywhereButTheSecret() throws Exception {
        String team = uniqueName("team");
        admin().body(json("{'name':'" + team + "'}")).post("/api/teams").then().statusCode(201);
        String expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        JsonPath created = TestApi.exact(admin().body(json("{'name':'billing app','team':'" + team + "',"
                + "'models':['gpt-4o-mini','claude-3-haiku'],'expires_at':'" + expires + "','max_budget_usd':'12.50',"
                + "'budget_period':'week','requests_per_minute':600,'tokens_per_minute':100000,"
                + "'metadata':{'owner':'ana','cost_center':'42'}}")).post("/api/keys").then().statusCode(201)
                .body("team", equalTo(team)).body("budget_period", equalTo("week"))
                .body("expires_at", equalTo(expires)));
        String id = created.getString("id");
        String key = created.getString("key");
        assertEquals(new BigDecimal("12.5"), created.get("max_budget_usd"));

        String one = admin().get("/api/keys/" + id).then().statusCode(200)
                .body("name", equalTo("billing app")).body("team", equalTo(team))
                .body("models", equalTo(List.of("gpt-4o-mini", "claude-3-haiku")))
                .body("expires_at", equalTo(expires)).body("expired", equalTo(false))
                .body("requests_per_minute", equalTo(600)).body("tokens_per_minute", equalTo(100000))
                .body("metadata", equalTo(Map.of("owner", "ana", "cost_center", "42")))
                .body("previous_valid_until", nullValue())
                .body("budget.period", equalTo("week"))
                .extract().asString();
        String listed = admin().get("/api/keys").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.team", equalTo(team))
                .body("find { it.id == '" + id + "' }.budget_period", equalTo("week"))
                .extract().asString();
        for (String answer : List.of(created.prettify(), one, listed)) {
            assertTrue(!answer.contains(ApiKeyResourceTests.sha256(key)), "no answer shows the key's hash");
            assertTrue(!answer.contains("key_hash"), "no answer has a hash field");
        }
        assertTrue(!one.contains(key) && !listed.contains(key), "only the creation shows the key");

        JsonPath snapshot = TestApi.exact(service().get("/internal/snapshot").then().statusCode(200));
        Map<String, Object> routed = snapshot.getMap("api_keys.find { it.id == '" + id + "' }");
        assertEquals(ApiKeyResourceTests.sha256(key), routed.get("key_hash"));
        assertEquals(team, routed.get("team"));
        assertEquals(List.of("gpt-4o-mini", "claude-3-haiku"), routed.get("models"));
        assertEquals(expires, routed.get("expires_at"));
        String limits = "api_keys.find { it.id == '" + id + "' }.limits.";
        assertEquals(new BigDecimal("12.5"), snapshot.get(limits + "max_budget_usd"));
        assertEquals("week", snapshot.get(limits + "budget_period"));
        assertEquals(600, snapshot.getInt(limits + "requests_per_minute"));
        assertEquals(100000, snapshot.getInt(limits + "tokens_per_minute"));
        assertNull(routed.get("previous_key_hash"));
        assertNull(routed.get("metadata"), "metadata is the operator's, not the router's");
    }

    @Test
    void aBudgetWithoutAPeriodCountsPerMonth() {
        admin().body(json("{'name':'monthly','max_budget_usd':5}")).post("/api/keys").then().statusCode(201)
                .body("budget_period", equalTo("month"));
    }

    @Test
    void reportsEveryInvalidFieldByName() {
        admin().body(json("{'name':'bad','max_budget_usd':-1,'budget_period':'year','requests_per_minute':0,"
                + "'tokens_per_minute':'many','expires_at':'tomorrow','models':[],'metadata':{'k':1},"
                + "'team':'No Such Team!'}")).post("/api/keys").then().statusCode(400)
                .body("error.code", equalTo("validation_failed"))
                .body("error.violations.field", hasItems("max_budget_usd", "budget_period", "requests_per_minute",
                        "tokens_per_minute", "expires_at", "models", "metadata.k", "team"))
                .body("error.violations.find { it.field == 'budget_period' }.message",
                        equalTo("must be one of day, week, month or total"))
                .body("error.violations.find { it.field == 'requests_per_minute' }.message",
                        equalTo("must be an integer from 1 to 10000000 requests per minute"));
    }

    @Test
    void boundsTheBudget() {
        violation("{'name':'k','max_budget_usd':0.00000000001}", "max_budget_usd",
                "must have at most 10 digits after the decimal point");
        violation("{'name':'k','max_budget_usd':1000000000.5}", "max_budget_usd", "must be at most 1000000000 USD");
        violation("{'name':'k','max_budget_usd':0}", "max_budget_usd",
                "must be more than 0 USD (set it to null to remove the budget)");
        violation("{'name':'k','max_budget_usd':'lots'}", "max_budget_usd",
                "must be an amount in USD (a number or a numeric string)");
        violation("{'name':'k','budget_period':'day'}", "budget_period",
                "needs max_budget_usd: a period without a budget limits nothing");
        JsonPath smallest = TestApi.exact(admin().body(json("{'name':'k','max_budget_usd':0.0000000001,"
                + "'budget_period':'total'}")).post("/api/keys").then().statusCode(201)
                .body(containsString("\"max_budget_usd\":0.0000000001")));
        assertEquals(new BigDecimal("0.0000000001"), smallest.get("max_budget_usd"));
    }

    @Test
    void boundsModelsRatesExpiryAndMetadata() {
        violation("{'name':'k','models':['a','a']}", "models[1]", "'a' is listed twice");
        violation("{'name':'k','models':['a',' ']}", "models[1]", "must be a model id (a non-blank string)");
        violation("{'name':'k','models':['auto']}", "models[0]",
                "'auto' is not a model: a key may always ask for auto, which routes among its models");
        violation("{'name':'k','models':'gpt-4o'}", "models", "must be a JSON array");
        violation("{'name':'k','tokens_per_minute':1000000001}", "tokens_per_minute",
                "must be an integer from 1 to 1000000000 tokens per minute");
        violation("{'name':'k','requests_per_minute':1.5}", "requests_per_minute",
                "must be an integer from 1 to 10000000 requests per minute");
        violation("{'name':'k','expires_at':'" + Instant.now().minusSeconds(60) + "'}", "expires_at",
                "must be in the future (a new key that has already expired is of no use)");
        violation("{'name':'k','metadata':['a']}", "metadata", "must be a JSON object of string values");
        violation("{'name':'k','metadata':{'note':'" + "x".repeat(1001) + "'}}", "metadata.note",
                "must be at most 1000 characters");
        StringBuilder many = new StringBuilder("{'name':'k','metadata':{");
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("'k").append(i).append("':'v'");
        }
        violation(many + "}}", "metadata", "must hold at most 50 entries");
        String team = uniqueName("absent");
        violation("{'name':'k','team':'" + team + "'}", "team",
                "no team named '" + team + "'; create it first (POST /api/teams)");
    }

    @Test
    void patchKeepsWhatIsLeftOutAndClearsWhatIsNull() {
        String id = admin().body(json("{'name':'patched','models':['a','b'],'max_budget_usd':10,'budget_period':"
                + "'day','requests_per_minute':60,'tokens_per_minute':6000,'metadata':{'a':'1','b':'2'}}"))
                .post("/api/keys").then().statusCode(201).extract().path("id");

        admin().body(json("{'requests_per_minute':null,'models':['c'],'metadata':{'a':null,'c':'3'}}"))
                .patch("/api/keys/" + id).then().statusCode(200)
                .body("name", equalTo("patched")).body("requests_per_minute", nullValue())
                .body("tokens_per_minute", equalTo(6000)).body("models", equalTo(List.of("c")))
                .body("metadata", equalTo(Map.of("b", "2", "c", "3")))
                .body("max_budget_usd", equalTo(10)).body("budget_period", equalTo("day"));
        admin().body(json("{'max_budget_usd':25}")).patch("/api/keys/" + id).then().statusCode(200)
                .body("max_budget_usd", equalTo(25)).body("budget_period", equalTo("day"));
        admin().body(json("{'budget_period':null}")).patch("/api/keys/" + id).then().statusCode(400)
                .body("error.violations[0].field", equalTo("budget_period"));
        admin().body(json("{'max_budget_usd':null,'models':null,'metadata':null,'name':'renamed'}"))
                .patch("/api/keys/" + id).then().statusCode(200)
                .body("max_budget_usd", nullValue()).body("budget_period", nullValue())
                .body("models", nullValue()).body("metadata", equalTo(Map.of())).body("name", equalTo("renamed"))
                .body("tokens_per_minute", equalTo(6000)).body(not(containsString("\"budget\"")));
        admin().body(json("{'budget_period':'week'}")).patch("/api/keys/" + id).then().statusCode(400)
                .body("error.violations[0].field", equalTo("budget_period"));
        admin().body(json("{'name':null}")).patch("/api/keys/" + id).then().statusCode(400)
                .body("error.violations[0].message", equalTo("cannot be removed; every key has a name"));
        admin().get("/api/keys/" + id).then().statusCode(200).body("name", equalTo("renamed"))
                .body("tokens_per_minute", equalTo(6000));
    }

    @Test
    void patchThatChangesNothingKeepsTheRevision() {
        String id = admin().body(json("{'name':'steady','requests_per_minute':10}")).post("/api/keys").then()
                .statusCode(201).extract().path("id");
        long before = revision();
        admin().body(json("{'requests_per_minute':10,'metadata':{'gone':null}}")).patch("/api/keys/" + id).then()
                .statusCode(200);
        assertEquals(before, revision());
        admin().body(json("{'requests_per_minute':11}")).patch("/api/keys/" + id).then().statusCode(200);
        assertEquals(before + 1, revision());
    }

    @Test
    void anExpiredKeyStaysInTheSnapshotAndARevokedOneLeavesIt() {
        String id = admin().body(json("{'name':'expiring'}")).post("/api/keys").then().statusCode(201).extract()
                .path("id");
        String past = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS).toString();
        admin().body(json("{'expires_at':'" + past + "'}")).patch("/api/keys/" + id).then().statusCode(200)
                .body("expired", equalTo(true)).body("expires_at", equalTo(past));
        service().get("/internal/snapshot").then()
                .body("api_keys.find { it.id == '" + id + "' }.expires_at", equalTo(past));
        admin().get("/api/keys").then().body("id", hasItem(id));
        admin().delete("/api/keys/" + id).then().statusCode(204);
        service().get("/internal/snapshot").then().body("api_keys.id", not(hasItem(id)));
        admin().body(json("{'name':'x'}")).patch("/api/keys/" + id).then().statusCode(404)
                .body("error.code", equalTo("api_key_not_found"));
        admin().get("/api/keys/" + id).then().statusCode(404);
    }

    @Test
    void answersMalformedPatchesInTheApiShape() {
        String id = admin().body(json("{'name':'shape'}")).post("/api/keys").then().statusCode(201).extract()
                .path("id");
        admin().body("{\"models\":").patch("/api/keys/" + id).then().statusCode(400)
                .body("error.code", equalTo("malformed_json")).body("request_id", not(nullValue()));
        admin().body("[]").patch("/api/keys/" + id).then().statusCode(400)
                .body("error.violations[0].message", equalTo("must be a JSON object"));
        admin().body(json("{'key_hash':'00'}")).patch("/api/keys/" + id).then().statusCode(400)
                .body("error.violations[0].field", equalTo("key_hash"));
        admin().contentType("application/merge-patch+json").body(json("{'tokens_per_minute':5}"))
                .patch("/api/keys/" + id).then().statusCode(200).body("tokens_per_minute", equalTo(5));
    }

    private static void violation(String body, String field, String message) {
        admin().body(json(body)).post("/api/keys").then().statusCode(400)
                .body("error.violations.find { it.field == '" + field + "' }.message", equalTo(message));
    }

    private static long revision() {
        return service().get("/internal/snapshot").then().statusCode(200).extract().jsonPath().getLong("revision");
    }
}
