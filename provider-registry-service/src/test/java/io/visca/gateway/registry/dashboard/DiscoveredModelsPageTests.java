package io.visca.gateway.registry.dashboard;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.fakes.FakeOpenAiServer;

/**
 * A provider added on the form without models discovers them: the providers page lists them as discovered, the edit
 * page shows them read-only with their status and a "Refresh models" button that lists the endpoints again.
 */
@QuarkusTest
class DiscoveredModelsPageTests {

    private static FakeOpenAiServer upstream;

    @BeforeAll
    static void startUpstream() {
        upstream = FakeOpenAiServer.start().requireApiKey("sk-dash");
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    private static Map<String, Object> formWithoutModels(String name) {
        Map<String, Object> form = ProviderForms.goodForm(name);
        form.keySet().removeIf(field -> field.startsWith("models["));
        form.put("endpoints[0].url", upstream.baseUrl());
        form.remove("endpoints[1].url");
        form.remove("endpoints[1].weight");
        form.remove("endpoints[1].id");
        form.put("api_key", "sk-dash");
        return form;
    }

    private static void awaitDiscovered(String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"ok".equals(admin().get("/api/providers/" + name).then().extract().path("discovery.status"))) {
            assertTrue(System.nanoTime() < deadline, "discovery of " + name + " did not finish");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void showsDiscoveredModelsReadOnlyAndRefreshesThemOnDemand() {
        upstream.models("llama-3-70b", "bge-embed");
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-disc");
        browser.post("/providers", formWithoutModels(name)).then().statusCode(303);
        awaitDiscovered(name);

        Element row = browser.page("/providers").selectFirst("tr[data-provider=" + name + "]");
        assertNotNull(row);
        assertEquals(List.of("bge-embed", "llama-3-70b"), row.select(".models .model.discovered").eachText());
        assertEquals("discovered: ok", row.selectFirst(".models .discovery-badge").text());

        Document edit = browser.page("/providers/" + name + "/edit");
        assertNotNull(edit.selectFirst("#discovered-models"));
        assertEquals(List.of("bge-embed", "llama-3-70b"), edit.select("#discovered-models-list li").eachAttr(
                "data-model"));
        assertTrue(edit.select("#models-rows input").isEmpty(), "discovered models are not editable model rows");
        assertEquals("/providers/" + name + "/models/refresh",
                edit.selectFirst("#refresh-models").attr("hx-post"));

        upstream.models("llama-3-70b");
        browser.request().post("/providers/" + name + "/models/refresh").then().statusCode(403);
        String fragment = browser.post("/providers/" + name + "/models/refresh", Map.of()).then().statusCode(200)
                .extract().asString();
        Document refreshed = Jsoup.parse(fragment);
        assertEquals(List.of("llama-3-70b"), refreshed.select("#discovered-models-list li").eachAttr("data-model"));
        assertTrue(refreshed.selectFirst("#discovery-status").text().contains("ok"), fragment);

        // saving the form again (no models) keeps discovering
        browser.post("/providers/" + name, formWithoutModels(name)).then().statusCode(303);
        assertEquals("discovered", admin().get("/api/providers/" + name).then().extract().path("models_source"));
    }

    @Test
    void aProviderWithConfiguredModelsHasNoDiscoveredSection() {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-conf");
        browser.post("/providers", ProviderForms.goodForm(name)).then().statusCode(303);
        assertNull(browser.page("/providers/" + name + "/edit").selectFirst("#discovered-models"));
        Element row = browser.page("/providers").selectFirst("tr[data-provider=" + name + "]");
        assertEquals("llama-3-70b", row.selectFirst(".models").text());
    }
}
