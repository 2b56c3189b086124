package io.visca.gateway.registry.dashboard;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.visca.gateway.registry.TestApi;

/**
 * The keys page's policy fields, rotation and budget bars, and the teams page, against the real services (the
 * API's validation) and a fake of billing's quota store for the spend.
 */
@QuarkusTest
class KeysAndTeamsPageTests {

    @FakeBackendsResource.Inject
    FakeBackends fake;

    @AfterEach
    void billingBack() {
        fake.billingDown(false);
    }

    @Test
    void createsAKeyWithEveryPolicyFieldAndListsItWithItsSpend() {
        DashboardClient browser = DashboardClient.login();
        String team = uniqueName("dash-team");
        browser.post("/teams", Map.of("name", team, "max_budget_usd", "100", "budget_period", "week"))
                .then().statusCode(303);
        Document form = browser.page("/keys");
        assertNotNull(form.selectFirst("form#key-form select[name=team] option[value=" + team + "]"));

        String name = uniqueName("dash-policy-key");
        Map<String, Object> fields = keyForm(name, team);
        Response created = browser.post("/keys", fields);
        assertEquals(200, created.statusCode(), created.asString());
        Document page = Jsoup.parse(created.asString());
        assertTrue(page.selectFirst("#new-key").text().startsWith("vsk_"));
        String id = row(page, name).attr("data-key-id");
        JsonPath stored = admin().get("/api/keys/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(team, stored.getString("team"));
        assertEquals(List.of("model-a", "model-b"), stored.getList("models"));
        assertEquals("2030-01-01T00:00:00Z", stored.getString("expires_at"));
        assertEquals("25", stored.getString("max_budget_usd"));
        assertEquals("day", stored.getString("budget_period"));
        assertEquals(600, stored.getInt("requests_per_minute"));
        assertEquals(90000, stored.getInt("tokens_per_minute"));
        assertEquals(Map.of("owner", "ana", "app", "search"), stored.getMap("metadata"));

        fake.budget("key:" + id, "5", "2.5");
        Element row = row(browser.page("/keys"), name);
        assertEquals(team, row.selectFirst(".key-team").text());
        assertEquals("model-a, model-b", row.selectFirst(".key-models").text());
        assertEquals("600 requests/min", row.selectFirst(".limit-rpm").text());
        assertEquals("90000 tokens/min", row.selectFirst(".limit-tpm").text());
        assertEquals("2030-01-01T00:00:00Z", row.selectFirst(".key-expires time").text());
        assertEquals("$5", row.selectFirst(".budget-spend").text());
        assertEquals("$2.5", row.selectFirst(".budget-reserved").text());
        assertEquals("$17.5", row.selectFirst(".budget-remaining").text());
        assertEquals("$25", row.selectFirst(".budget-max").text());
        assertTrue(row.selectFirst(".budget-bar-spent").attr("style").contains("20.0%"));
        assertTrue(row.selectFirst(".budget-bar-reserved").attr("style").contains("10.0%"));

        fake.billingDown(true);
        Element down = row(browser.page("/keys"), name);
        assertNotNull(down.selectFirst(".budget-unavailable"), "spend unavailable while billing is down");
        assertEquals("$25", down.selectFirst(".budget-max").text());
        admin().delete("/api/keys/" + id).then().statusCode(204);
    }

    @Test
    void editsAKeyAndShowsTheApisViolationsBesideTheFields() {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-edit-key");
        String id = admin().contentType("application/json").body(TestApi.json("{'name':'" + name
                + "','max_budget_usd':3,'requests_per_minute':10,'metadata':{'owner':'ana','tier':'gold'}}"))
                .post("/api/keys").then().statusCode(201).extract().path("id");
        Element form = browser.page("/keys/" + id + "/edit").selectFirst("form#key-form");
        Map<String, Object> fields = DashboardClient.single(DashboardClient.fields(form));
        assertEquals("3", fields.get("max_budget_usd"));
        assertEquals("month", fields.get("budget_period"));

        fields.put("requests_per_minute", "");
        fields.put("tokens_per_minute", "500");
        fields.put("metadata", "owner=bo\n");
        Response saved = browser.post("/keys/" + id, fields);
        assertEquals(303, saved.statusCode(), saved.asString());
        admin().get("/api/keys/" + id).then().body("requests_per_minute", nullValue())
                .body("tokens_per_minute", equalTo(500)).body("metadata", equalTo(Map.of("owner", "bo")))
                .body("max_budget_usd", equalTo(3));

        fields.put("max_budget_usd", "-1");
        fields.put("expires_at", "tomorrow");
        fields.put("team", "no-such-team-zz");
        Response bad = browser.post("/keys/" + id, fields);
        assertEquals(400, bad.statusCode());
        Document page = Jsoup.parse(bad.asString());
        assertNotNull(page.selectFirst(".field-error[data-field=max_budget_usd]"), page.toString());
        assertNotNull(page.selectFirst(".field-error[data-field=expires_at]"));
        assertNotNull(page.selectFirst("#form-errors"));
        assertNotNull(page.selectFirst("#key-budget .budget-max"), "the edit page keeps the key's budget");
        assertEquals("-1", page.selectFirst("form#key-form input[name=max_budget_usd]").attr("value"),
                "the input is kept");
        admin().get("/api/keys/" + id).then().body("max_budget_usd", equalTo(3)).body("expires_at", nullValue());
        browser.postWithoutCsrf("/keys/" + id, Map.of("name", "renamed")).then().statusCode(403);

        admin().contentType("application/json").body("{\"expires_at\":\"2020-01-01T00:00:00Z\"}")
                .patch("/api/keys/" + id).then().statusCode(200);
        Element expired = row(browser.page("/keys"), name);
        assertEquals("expired", expired.selectFirst(".key-status").text());
        assertNotNull(expired.selectFirst(".key-expires .expired-badge"));
        assertNotNull(browser.page("/keys/" + id + "/edit").selectFirst("#key-expired"));
        admin().delete("/api/keys/" + id).then().statusCode(204);
    }

    @Test
    void rotatesAKeyShowingTheNewOneOnceAndRefusesABadGrace() {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-rotate");
        String id = admin().contentType("application/json").body(TestApi.json("{'name':'" + name + "'}"))
                .post("/api/keys").then().statusCode(201).extract().path("id");
        Response bad = browser.post("/keys/" + id + "/rotate", Map.of("grace_seconds", "999999999"));
        assertEquals(400, bad.statusCode());
        assertNotNull(Jsoup.parse(bad.asString()).selectFirst(".field-error[data-field=grace_seconds]"));
        browser.postWithoutCsrf("/keys/" + id + "/rotate", Map.of()).then().statusCode(403);

        Response rotated = browser.post("/keys/" + id + "/rotate", Map.of("grace_seconds", "60"));
        assertEquals(200, rotated.statusCode(), rotated.asString());
        Document page = Jsoup.parse(rotated.asString());
        String key = page.selectFirst("#new-key-panel.rotated #new-key").text();
        assertTrue(key.startsWith("vsk_"), key);
        assertNotNull(page.selectFirst("#old-key-until"));
        assertEquals(key.substring(0, 8) + "…", row(page, name).selectFirst(".key-prefix").text());
        assertNotNull(admin().get("/api/keys/" + id).then().extract().path("previous_valid_until"));
        assertFalse(browser.get("/keys").asString().contains(key), "shown once");
        admin().delete("/api/keys/" + id).then().statusCode(204);
    }

    @Test
    void teamsPageCreatesEditsAndDeletesAndRefusesToDeleteATeamInUse() {
        DashboardClient browser = DashboardClient.login();
        String team = uniqueName("dash-t");
        Response bad = browser.post("/teams", Map.of("name", team, "max_budget_usd", "lots"));
        assertEquals(400, bad.statusCode());
        assertNotNull(Jsoup.parse(bad.asString()).selectFirst(".field-error[data-field=max_budget_usd]"));
        admin().get("/api/teams/" + team).then().statusCode(404);

        browser.post("/teams", Map.of("name", team, "max_budget_usd", "10", "budget_period", "total",
                "requests_per_minute", "50")).then().statusCode(303);
        browser.post("/teams", Map.of("name", team)).then().statusCode(409);
        fake.budget("team:" + team, "10", "0");
        Element row = browser.page("/teams").selectFirst("table#teams tr[data-team=" + team + "]");
        assertEquals("50 requests/min", row.selectFirst(".limit-rpm").text());
        assertEquals("$0", row.selectFirst(".budget-remaining").text());
        assertNotNull(row.selectFirst(".budget-bar.exhausted"));

        Map<String, Object> fields = DashboardClient
                .single(DashboardClient.fields(browser.page("/teams/" + team + "/edit").selectFirst("form#team-form")));
        fields.put("tokens_per_minute", "1000");
        browser.post("/teams/" + team, fields).then().statusCode(303);
        admin().get("/api/teams/" + team).then().body("tokens_per_minute", equalTo(1000))
                .body("requests_per_minute", equalTo(50)).body("budget_period", equalTo("total"));

        String id = admin().contentType("application/json").body(TestApi.json("{'name':'member','team':'" + team
                + "'}")).post("/api/keys").then().statusCode(201).extract().path("id");
        Response refused = browser.post("/teams/" + team + "/delete", Map.of());
        assertEquals(409, refused.statusCode());
        Element banner = Jsoup.parse(refused.asString()).selectFirst("#delete-refused[data-team=" + team + "]");
        assertTrue(banner.text().contains("1 active key"), banner.text());
        admin().get("/api/teams/" + team).then().statusCode(200);

        admin().delete("/api/keys/" + id).then().statusCode(204);
        Response deleted = browser.post("/teams/" + team + "/delete", Map.of());
        assertEquals(303, deleted.statusCode());
        admin().get("/api/teams/" + team).then().statusCode(404);
        assertNull(browser.page("/teams").selectFirst("tr[data-team=" + team + "]"));
    }

    private static Map<String, Object> keyForm(String name, String team) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("team", team);
        fields.put("models", "model-a, model-b");
        fields.put("expires_at", "2030-01-01T00:00:00Z");
        fields.put("max_budget_usd", "25");
        fields.put("budget_period", "day");
        fields.put("requests_per_minute", "600");
        fields.put("tokens_per_minute", "90000");
        fields.put("metadata", "owner=ana\napp=search\n");
        return fields;
    }

    private static Element row(Document page, String name) {
        return page.select("table#keys tr[data-key-id]").stream()
                .filter(r -> r.selectFirst(".key-name").text().equals(name)).findFirst().orElseThrow();
    }
}
