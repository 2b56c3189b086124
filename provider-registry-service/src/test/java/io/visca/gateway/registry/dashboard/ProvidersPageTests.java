package io.visca.gateway.registry.dashboard;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.service;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static io.visca.gateway.registry.dashboard.ProviderForms.goodDocument;
import static io.visca.gateway.registry.dashboard.ProviderForms.goodForm;
import static io.visca.gateway.registry.dashboard.ProviderForms.stored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeOpenAiServer;

/**
 * The Custom Providers list against the real service, database and Kafka: health and the last 24 hours, banners,
 * CSRF, enable/disable, delete and Test Connection. The health monitor and billing are {@link FakeBackends}.
 */
@QuarkusTest
class ProvidersPageTests {

    private static FakeOpenAiServer upstream;

    @FakeBackendsResource.Inject
    FakeBackends backends;

    @BeforeAll
    static void startUpstream() {
        upstream = FakeOpenAiServer.start().requireApiKey("sk-test").models("gpt-4o-mini", "gpt-4o");
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @Test
    void stateChangingRequestsWithoutTheCsrfTokenAre403AndChangeNothing() throws IOException {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-csrf");
        browser.postWithoutCsrf("/providers", goodForm(name)).then().statusCode(403);
        Map<String, Object> wrong = goodForm(name);
        wrong.put("csrf", "not-the-token");
        browser.postWithoutCsrf("/providers", wrong).then().statusCode(403);
        admin().get("/api/providers/" + name).then().statusCode(404);

        browser.post("/providers", goodForm(name)).then().statusCode(303);
        JsonNode before = stored(name);
        Map<String, Object> changed = goodForm(name);
        changed.put("models[0].name", "Renamed");
        browser.postWithoutCsrf("/providers/" + name, changed).then().statusCode(403);
        browser.postWithoutCsrf("/providers/" + name + "/enabled", Map.of("enabled", "false")).then().statusCode(403);
        browser.postWithoutCsrf("/providers/" + name + "/delete", Map.of()).then().statusCode(403);
        browser.postWithoutCsrf("/providers", Map.of("json", goodDocument(uniqueName("dash-csrf-json"))))
                .then().statusCode(403);
        browser.request().post("/providers/" + name + "/test").then().statusCode(403);
        assertEquals(before, stored(name));
        admin().delete("/api/providers/" + name).then().statusCode(204);
    }

    @Test
    void theListShowsHealthAndTheLast24HoursFromTheHealthMonitorAndBilling() {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-stats");
        browser.post("/providers", goodForm(name)).then().statusCode(303);
        backends.endpointStatus(name, "10.0.0.1:8000", "UP");
        backends.endpointStatus(name, "replica-2", "DOWN");
        backends.usage(name, 200, 5, "1.234500");
        Document page = browser.page("/providers");
        assertNull(page.selectFirst(".banner-health"));
        assertNull(page.selectFirst(".banner-billing"));
        Element row = page.selectFirst("table#providers tr[data-provider=" + name + "]");
        assertEquals("UP", row.selectFirst(".endpoint-health[data-endpoint=10.0.0.1:8000]").text());
        assertEquals("DOWN", row.selectFirst(".endpoint-health[data-endpoint=replica-2]").text());
        assertEquals("200", row.selectFirst(".requests-24h").text());
        assertEquals("2.5%", row.selectFirst(".error-rate-24h").text());
        assertEquals("$1.2345", row.selectFirst(".cost-24h").text());
        var summary = backends.billingRequests().get(backends.billingRequests().size() - 1);
        assertTrue(summary.query().contains("group_by=provider"), summary.query());
        // the last 24 hours exactly: from and to 24 h apart, to about now
        Matcher bounds = Pattern.compile("from=([^&]+)&to=([^&]+)")
                .matcher(URLDecoder.decode(summary.query(), StandardCharsets.UTF_8));
        assertTrue(bounds.find(), summary.query());
        Instant from = Instant.parse(bounds.group(1));
        Instant to = Instant.parse(bounds.group(2));
        assertEquals(Duration.ofHours(24), Duration.between(from, to));
        assertTrue(Duration.between(to, Instant.now()).abs().toMinutes() < 1, summary.query());
        admin().delete("/api/providers/" + name).then().statusCode(204);
    }

    @Test
    void theListShowsEachProviderWithBannersWhenHealthAndBillingAreDown() {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-list");
        browser.post("/providers", goodForm(name)).then().statusCode(303);
        backends.endpointStatus(name, "replica-2", "UP");
        backends.healthDown(true);
        backends.billingDown(true);
        Document page;
        try {
            page = browser.page("/providers");
        } finally {
            backends.healthDown(false);
            backends.billingDown(false);
        }
        assertTrue(page.selectFirst(".banner.banner-health").text().contains("health monitor"));
        assertTrue(page.selectFirst(".banner.banner-billing").text().contains("Billing"));
        assertEquals("/providers/new", page.selectFirst("a#add-provider").attr("href"));
        Element row = page.selectFirst("table#providers tr[data-provider=" + name + "]");
        assertEquals("openai-compatible", row.selectFirst(".type").text());
        assertTrue(row.selectFirst(".endpoints").text().contains("replica-2"));
        assertEquals("llama-3-70b", row.selectFirst(".models").text());
        assertEquals("enabled", row.selectFirst(".enabled").text());
        assertEquals(List.of("10.0.0.1:8000", "replica-2"),
                row.select(".health span.endpoint-health").eachAttr("data-endpoint"));
        assertEquals(List.of("UNKNOWN", "UNKNOWN"), row.select(".health span.endpoint-health").eachText());
        assertNotNull(row.selectFirst(".requests-24h"));
        assertNotNull(row.selectFirst(".error-rate-24h"));
        assertNotNull(row.selectFirst(".cost-24h"));
        assertEquals("/providers/" + name + "/edit", row.selectFirst("a.edit").attr("href"));
        assertNotNull(row.selectFirst("button.toggle-enabled"));
        assertNotNull(row.selectFirst("button.delete"));
        assertNotNull(page.selectFirst("dialog#confirm-delete button#confirm-delete-yes"));
        assertNotNull(page.selectFirst("dialog#confirm-delete button#confirm-delete-no"));
        admin().delete("/api/providers/" + name).then().statusCode(204);
    }

    @Test
    void disablesEnablesAndDeletes() {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-toggle");
        browser.post("/providers", goodForm(name)).then().statusCode(303);
        browser.post("/providers/" + name + "/enabled", Map.of("enabled", "false")).then().statusCode(303);
        admin().get("/api/providers/" + name).then().body("enabled", org.hamcrest.Matchers.equalTo(false));
        assertEquals("disabled", browser.page("/providers").selectFirst("tr[data-provider=" + name + "] .enabled")
                .text());
        browser.request().header("HX-Request", "true").header("X-CSRF-Token", browser.csrf())
                .contentType("application/x-www-form-urlencoded").formParam("enabled", "true")
                .post("/providers/" + name + "/enabled").then().statusCode(200);
        admin().get("/api/providers/" + name).then().body("enabled", org.hamcrest.Matchers.equalTo(true));

        browser.post("/providers/" + name + "/delete", Map.of()).then().statusCode(303);
        admin().get("/api/providers/" + name).then().statusCode(404);
        assertNull(browser.page("/providers").selectFirst("tr[data-provider=" + name + "]"));
    }

    @Test
    void testConnectionShowsEachEndpointItsModelsAndThe401Reason() {
        DashboardClient browser = DashboardClient.login();
        String good = uniqueName("dash-conn");
        Map<String, Object> form = goodForm(good);
        form.remove("endpoints[1].url");
        form.remove("endpoints[1].id");
        form.put("endpoints[0].url", upstream.baseUrl());
        form.put("api_key", "${VISCA_TEST_UPSTREAM_KEY}");
        form.put("models[0].id", "gpt-4o-mini");
        browser.post("/providers", form).then().statusCode(303);
        assertNotNull(browser.page("/providers/" + good + "/edit").selectFirst("button#test-connection"));

        Document results = Jsoup.parse(htmxPost(browser, "/providers/" + good + "/test").asString());
        Element row = results.selectFirst("tr[data-endpoint=127.0.0.1:" + upstream.port() + "]");
        assertEquals("reachable", row.selectFirst(".reachable").text());
        assertEquals("200", row.selectFirst(".status").text());
        assertTrue(row.selectFirst(".latency").text().matches("\\d+"), row.toString());
        assertEquals("gpt-4o-mini, gpt-4o", row.selectFirst(".models").text());
        assertEquals("", row.selectFirst(".reason").text());

        String wrong = uniqueName("dash-conn-401");
        form.put("name", wrong);
        form.put("api_key", "sk-wrong-key-999");
        browser.post("/providers", form).then().statusCode(303);
        String html = htmxPost(browser, "/providers/" + wrong + "/test").asString();
        Element failed = Jsoup.parse(html).selectFirst("tr[data-endpoint]");
        assertEquals("401", failed.selectFirst(".status").text());
        assertTrue(failed.selectFirst(".reason").text().contains("401"), failed.toString());
        assertTrue(failed.selectFirst(".reason").text().contains("auth"), failed.toString());
        assertFalse(html.contains("sk-wrong-key-999"));
        admin().delete("/api/providers/" + good).then().statusCode(204);
        admin().delete("/api/providers/" + wrong).then().statusCode(204);
    }

    private static Response htmxPost(DashboardClient browser, String path) {
        Response response = browser.request().header("HX-Request", "true").header("X-CSRF-Token", browser.csrf())
                .post(path);
        assertEquals(200, response.statusCode(), response.asString());
        return response;
    }
}
