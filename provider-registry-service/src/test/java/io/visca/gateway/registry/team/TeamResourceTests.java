package io.visca.gateway.registry.team;

import static io.restassured.RestAssured.given;
import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.service;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.infra.test.ManagementInterface;
import io.visca.gateway.registry.TestApi;

/** Teams: created, read, changed, deleted only when no active key names them, and in the router's snapshot. */
@QuarkusTest
class TeamResourceTests {

    @Test
    void createsReadsChangesAndDeletesATeam() {
        String name = uniqueName("platform");
        long revision = revision();
        admin().body(json("{'name':'" + name + "','max_budget_usd':'100','budget_period':'month',"
                + "'requests_per_minute':1200,'tokens_per_minute':500000,'metadata':{'slack':'#platform'}}"))
                .post("/api/teams").then().statusCode(201)
                .header("Location", endsWith("/api/teams/" + name))
                .body("name", equalTo(name)).body("max_budget_usd", equalTo(100))
                .body("budget_period", equalTo("month")).body("requests_per_minute", equalTo(1200))
                .body("tokens_per_minute", equalTo(500000)).body("metadata.slack", equalTo("#platform"))
                .body("created_at", notNullValue()).body("updated_at", notNullValue());
        assertEquals(revision + 1, revision(), "a new team is a registry change");

        admin().get("/api/teams").then().statusCode(200).body("name", hasItem(name))
                .body("find { it.name == '" + name + "' }.requests_per_minute", equalTo(1200));
        String createdAt = admin().get("/api/teams/" + name).then().statusCode(200)
                .body("budget.period", equalTo("month")).body("budget.max_usd", equalTo(100))
                .extract().path("created_at");

        admin().body(json("{'requests_per_minute':null,'budget_period':'day','metadata':{'oncall':'bo'}}"))
                .patch("/api/teams/" + name).then().statusCode(200)
                .body("requests_per_minute", nullValue()).body("tokens_per_minute", equalTo(500000))
                .body("budget_period", equalTo("day")).body("max_budget_usd", equalTo(100))
                .body("metadata", equalTo(Map.of("slack", "#platform", "oncall", "bo")))
                .body("created_at", equalTo(createdAt)).body("updated_at", not(equalTo(createdAt)));
        admin().body(json("{'max_budget_usd':null}")).patch("/api/teams/" + name).then().statusCode(200)
                .body("max_budget_usd", nullValue()).body("budget_period", nullValue())
                .body(not(containsString("\"budget\"")));

        long beforeDelete = revision();
        admin().delete("/api/teams/" + name).then().statusCode(204);
        assertEquals(beforeDelete + 1, revision());
        admin().get("/api/teams/" + name).then().statusCode(404).body("error.code", equalTo("team_not_found"));
        admin().delete("/api/teams/" + name).then().statusCode(404);
        admin().body(json("{'tokens_per_minute':5}")).patch("/api/teams/" + name).then().statusCode(404);
    }

    @Test
    void refusesASecondTeamOfTheSameName() {
        String name = uniqueName("twice");
        admin().body(json("{'name':'" + name + "'}")).post("/api/teams").then().statusCode(201);
        admin().body(json("{'name':'" + name + "','requests_per_minute':5}")).post("/api/teams").then()
                .statusCode(409).body("error.code", equalTo("team_exists")).body("error.param", equalTo("name"));
        admin().get("/api/teams/" + name).then().body("requests_per_minute", nullValue());
    }

    @Test
    void validatesNamesAndLimits() {
        admin().body("{}").post("/api/teams").then().statusCode(400)
                .body("error.violations[0].field", equalTo("name"))
                .body("error.violations[0].message", equalTo("is required"));
        admin().body(json("{'name':'Team A'}")).post("/api/teams").then().statusCode(400)
                .body("error.violations[0].field", equalTo("name"));
        admin().body(json("{'name':'" + uniqueName("t") + "','max_budget_usd':-3,'budget_period':'hour',"
                + "'requests_per_minute':0,'metadata':'x','models':['a']}")).post("/api/teams").then()
                .statusCode(400)
                .body("error.violations.field", org.hamcrest.Matchers.hasItems("max_budget_usd", "budget_period",
                        "requests_per_minute", "metadata", "models"));
        String name = uniqueName("fixed");
        admin().body(json("{'name':'" + name + "'}")).post("/api/teams").then().statusCode(201);
        admin().body(json("{'name':'other'}")).patch("/api/teams/" + name).then().statusCode(400)
                .body("error.violations[0].message",
                        equalTo("cannot be changed; a team is never renamed (its keys and spend name it)"));
        admin().body(json("{'budget_period':'week'}")).patch("/api/teams/" + name).then().statusCode(400)
                .body("error.violations[0].field", equalTo("budget_period"));
        given().get("/api/teams").then().statusCode(401);
    }

    @Test
    void aTeamWithActiveKeysCannotBeDeleted() {
        String team = uniqueName("busy");
        admin().body(json("{'name':'" + team + "'}")).post("/api/teams").then().statusCode(201);
        String first = key(team);
        String second = key(team);
        admin().delete("/api/teams/" + team).then().statusCode(409)
                .body("error.code", equalTo("team_in_use"))
                .body("error.message", containsString("has 2 active keys"));
        admin().body(json("{'team':null}")).patch("/api/keys/" + first).then().statusCode(200)
                .body("team", nullValue());
        admin().delete("/api/keys/" + second).then().statusCode(204);
        admin().delete("/api/teams/" + team).then().statusCode(204);
        admin().body(json("{'team':'" + team + "'}")).patch("/api/keys/" + first).then().statusCode(400)
                .body("error.violations[0].field", equalTo("team"));
    }

    @Test
    void theSnapshotCarriesEveryTeamWithItsLimits() {
        String team = uniqueName("routed");
        admin().body(json("{'name':'" + team + "','max_budget_usd':0.5,'budget_period':'total',"
                + "'tokens_per_minute':1000,'metadata':{'x':'y'}}")).post("/api/teams").then().statusCode(201);
        String key = key(team);
        JsonPath snapshot = TestApi.exact(service().get("/internal/snapshot").then().statusCode(200));
        String limits = "teams.find { it.name == '" + team + "' }.limits.";
        assertEquals(new BigDecimal("0.5"), snapshot.get(limits + "max_budget_usd"));
        assertEquals("total", snapshot.get(limits + "budget_period"));
        assertEquals(1000, snapshot.getInt(limits + "tokens_per_minute"));
        assertNull(snapshot.get(limits + "requests_per_minute"));
        assertEquals(team, snapshot.get("api_keys.find { it.id == '" + key + "' }.team"));

        admin().delete("/api/keys/" + key).then().statusCode(204);
        admin().delete("/api/teams/" + team).then().statusCode(204);
        service().get("/internal/snapshot").then().body("teams.name", not(hasItem(team)));
    }

    @Test
    void documentsKeysAndTeamsInOpenApi() {
        given().baseUri(ManagementInterface.url()).get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/teams'.post.summary", equalTo("Create a team"))
                .body("paths.'/api/teams/{name}'", hasKey("patch"))
                .body("paths.'/api/teams/{name}'", hasKey("delete"))
                .body("paths.'/api/keys/{id}'", hasKey("patch"))
                .body("paths.'/api/keys/{id}/rotate'.post.summary", equalTo("Rotate a key"))
                .body("components.schemas.ApiKeyView.properties", hasKey("max_budget_usd"))
                .body("components.schemas.ApiKeyView.properties", not(hasKey("key_hash")))
                .body("components.schemas.BudgetView.properties", hasKey("spend_unavailable"))
                .body("components.schemas.ApiKeyRotated.properties", hasKey("previous_valid_until"));
    }

    private static String key(String team) {
        return admin().body(json("{'name':'member','team':'" + team + "'}")).post("/api/keys").then()
                .statusCode(201).body("team", equalTo(team)).extract().path("id");
    }

    private static long revision() {
        return service().get("/internal/snapshot").then().statusCode(200).extract().jsonPath().getLong("revision");
    }
}
