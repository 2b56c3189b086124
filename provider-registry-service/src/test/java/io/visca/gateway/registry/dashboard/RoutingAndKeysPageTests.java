package io.visca.gateway.registry.dashboard;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.service;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.registry.TestApi;

/** The Routing page (toggles and default policies) and the API keys page, against the real services. */
@QuarkusTest
class RoutingAndKeysPageTests {

    private static String provider(String name, String model) {
        return json("{'name':'" + name + "','type':'openai-compatible','base_url':'http://10.1.1.1:8000/v1',"
                + "'models':[{'id':'" + model + "'}]}");
    }

    @Test
    void theToggleEnablesAndDisablesRoutingOfAProvider() {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-route");
        TestApi.create(provider(name, "route-model-a"));
        Document page = browser.page("/routing");
        Element toggle = page.selectFirst("input.routing-toggle[type=checkbox][data-provider=" + name + "]");
        assertTrue(toggle.hasAttr("checked"));
        assertEquals("/providers/" + name + "/enabled", toggle.attr("hx-post"));

        // what htmx sends when the box is unchecked: no 'enabled' field, the token in the header
        browser.request().header("HX-Request", "true").header("X-CSRF-Token", browser.csrf())
                .contentType("application/x-www-form-urlencoded").post("/providers/" + name + "/enabled").then()
                .statusCode(200).body(equalTo("disabled"));
        admin().get("/api/providers/" + name).then().body("enabled", equalTo(false));
        assertFalse(browser.page("/routing").selectFirst("input.routing-toggle[data-provider=" + name + "]")
                .hasAttr("checked"));
        admin().delete("/api/providers/" + name).then().statusCode(204);
    }

    @Test
    void savesTheDefaultPolicyForAutoAndPerModelThroughTheRoutingService() {
        DashboardClient browser = DashboardClient.login();
        String first = uniqueName("dash-pol-a");
        String second = uniqueName("dash-pol-b");
        String model = "policy-model-" + first;
        TestApi.create(provider(first, model));
        TestApi.create(provider(second, model));
        Document page = browser.page("/routing");
        assertNotNull(page.selectFirst("form#policy-auto select[name=strategy]"));
        Element modelForm = page.selectFirst("form.policy-model[data-model=" + model + "]");
        assertNotNull(modelForm.selectFirst("input[name=providers]"));
        assertNotNull(modelForm.selectFirst("input[name=fallback][type=checkbox]"));
        assertNotNull(modelForm.selectFirst("button.save-policy"));

        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("model", model);
        policy.put("strategy", "weighted");
        policy.put("providers", second + ", " + first);
        policy.put("weights", first + "=3, " + second + "=1");
        Response saved = browser.post("/routing/policy", policy);
        assertEquals(303, saved.statusCode(), saved.asString());
        admin().get("/api/routing").then().statusCode(200)
                .body("models.'" + model + "'.strategy", equalTo("weighted"))
                .body("models.'" + model + "'.providers", equalTo(java.util.List.of(second, first)))
                .body("models.'" + model + "'.fallback", equalTo(false))
                .body("models.'" + model + "'.weights." + first, equalTo(3));
        Element shown = browser.page("/routing").selectFirst("form.policy-model[data-model=" + model + "]");
        assertEquals("weighted", shown.selectFirst("select[name=strategy] option[selected]").attr("value"));
        assertFalse(shown.selectFirst("input[name=fallback]").hasAttr("checked"));

        browser.post("/routing/policy", Map.of("model", "auto", "strategy", "latency-optimized", "fallback", "true"))
                .then().statusCode(303);
        admin().get("/api/routing").then().body("auto.strategy", equalTo("latency-optimized"))
                .body("auto.fallback", equalTo(true));
        service().get("/internal/snapshot").then().body("routing.auto.strategy", equalTo("latency-optimized"));

        browser.post("/routing/policy", Map.of("model", "auto", "reset", "1")).then().statusCode(303);
        browser.post("/routing/policy", Map.of("model", model, "reset", "1")).then().statusCode(303);
        admin().get("/api/routing").then().body("models", not(org.hamcrest.Matchers.hasKey(model)));
        admin().delete("/api/providers/" + first).then().statusCode(204);
        admin().delete("/api/providers/" + second).then().statusCode(204);
    }

    @Test
    void aBadPolicyGives400WithTheApisViolationsAndSavesNothing() {
        DashboardClient browser = DashboardClient.login();
        String model = "bad-policy-" + uniqueName("m");
        Response response = browser.post("/routing/policy", Map.of("model", model, "strategy", "fastest",
                "providers", "no-such-provider-zz", "weights", "x=0"));
        assertEquals(400, response.statusCode());
        Document page = Jsoup.parse(response.asString());
        Element form = page.selectFirst("form.policy-model[data-model=" + model + "]");
        assertNotNull(form, "the failed form is shown with its input");
        assertNotNull(form.selectFirst(".field-error[data-field=strategy]"), form.toString());
        assertNotNull(page.selectFirst("#form-errors"));
        admin().get("/api/routing").then().body("models", not(org.hamcrest.Matchers.hasKey(model)));
        browser.postWithoutCsrf("/routing/policy", Map.of("model", "auto", "strategy", "round-robin")).then()
                .statusCode(403);
    }

    @Test
    void createsAKeyShownOnceListsItAndRevokesIt() {
        DashboardClient browser = DashboardClient.login();
        Document empty = browser.page("/keys");
        assertNotNull(empty.selectFirst("form#key-form input[name=name]"));
        assertNotNull(empty.selectFirst("button#create-key"));
        assertNull(empty.selectFirst("#new-key"));

        String name = uniqueName("dash-key");
        Response created = browser.post("/keys", Map.of("name", name));
        assertEquals(200, created.statusCode());
        assertTrue(created.header("Cache-Control").contains("no-store"));
        Document page = Jsoup.parse(created.asString());
        String key = page.selectFirst("#new-key").text();
        assertTrue(key.startsWith("vsk_"), key);
        assertNotNull(page.selectFirst("#new-key-panel button#copy-key"));
        Element row = page.select("table#keys tr[data-key-id]").stream()
                .filter(r -> r.selectFirst(".key-name").text().equals(name)).findFirst().orElseThrow();
        String id = row.attr("data-key-id");
        assertEquals("active", row.selectFirst(".key-status").text());
        admin().get("/api/keys").then().body("id", hasItem(id));

        String listed = browser.get("/keys").asString();
        assertFalse(listed.contains(key), "the key is shown once only");
        assertNull(Jsoup.parse(listed).selectFirst("#new-key"));

        browser.postWithoutCsrf("/keys/" + id + "/revoke", Map.of()).then().statusCode(403);
        admin().get("/api/keys").then().body("id", hasItem(id));
        Document revoked = Jsoup.parse(browser.post("/keys/" + id + "/revoke", Map.of()).then().statusCode(200)
                .extract().asString());
        assertEquals("revoked", revoked.selectFirst("tr[data-key-id=" + id + "] .key-status").text());
        admin().get("/api/keys").then().body("id", not(hasItem(id)));
    }

    @Test
    void aKeyNeedsANameAndTheCsrfToken() {
        DashboardClient browser = DashboardClient.login();
        Response blank = browser.post("/keys", Map.of("name", " "));
        assertEquals(400, blank.statusCode());
        assertNotNull(Jsoup.parse(blank.asString()).selectFirst(".field-error[data-field=name]"));
        assertEquals(400, browser.post("/keys", Map.of("name", "x".repeat(101))).statusCode());
        String name = uniqueName("dash-key-csrf");
        browser.postWithoutCsrf("/keys", Map.of("name", name)).then().statusCode(403);
        admin().get("/api/keys").then().body("name", not(hasItem(name)));
    }
}
