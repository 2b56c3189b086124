package io.visca.gateway.registry.dashboard;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static io.visca.gateway.registry.dashboard.DashboardClient.fields;
import static io.visca.gateway.registry.dashboard.DashboardClient.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.registry.provider.preset.ProviderPreset;
import io.visca.gateway.registry.provider.preset.ProviderPresets;

/**
 * "Add Custom Provider" from a preset, and the HTTPS notice: the form a preset fills in, saved as a browser would
 * submit it, stores the preset's type, base URL, auth and health check; a stored plain-http URL to a public host
 * shows the advice on the edit page and in Test Connection, never an error.
 */
@QuarkusTest
class PresetFormPageTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void newProviderPageOffersEveryPreset() {
        Document page = DashboardClient.login().page("/providers/new");
        List<String> offered = page.select("#presets a.preset").eachAttr("data-preset");
        assertEquals(ProviderPresets.read().presets().stream().map(ProviderPreset::id).toList(), offered);
        assertNull(page.selectFirst("#preset-hint"), "no hint without a preset");
        assertEquals("/providers/new?preset=lmstudio", page.selectFirst("a.preset[data-preset=lmstudio]").attr("href"));
    }

    @Test
    void aPresetFillsTheFormAndSavesWhatItSays() throws Exception {
        DashboardClient browser = DashboardClient.login();
        for (ProviderPreset preset : ProviderPresets.read().presets()) {
            if (preset.baseUrl() == null) {
                continue; // custom: the user's own API
            }
            Document page = browser.page("/providers/new?preset=" + preset.id());
            Element hint = page.selectFirst("#preset-hint");
            assertNotNull(hint, preset.id());
            assertTrue(hint.text().contains(preset.hint()), hint.text());
            assertEquals("true", page.selectFirst("a.preset[data-preset=" + preset.id() + "]").attr("aria-current"));

            Map<String, Object> form = single(fields(page.selectFirst("form#provider-form")));
            String name = uniqueName("preset-" + preset.id());
            form.put("name", name);
            form.put("models[0].id", preset.modelExample());
            Response saved = browser.post("/providers", form);
            assertEquals(303, saved.statusCode(), preset.id() + ": " + saved.asString());

            JsonNode stored = JSON.readTree(admin().get("/api/providers/" + name).then().statusCode(200).extract()
                    .asString());
            assertEquals(preset.type(), stored.path("type").asText(), preset.id());
            assertEquals(preset.baseUrl(), stored.path("endpoints").path(0).path("base_url").asText(), preset.id());
            assertEquals(preset.formAuthType(), stored.path("auth").path("auth_type").asText(), preset.id());
            if (!preset.apiKeyReference().isEmpty()) {
                assertEquals(preset.apiKeyReference(), stored.path("auth").path("api_key").asText(), preset.id());
            }
            assertEquals(preset.healthCheckEndpoint(), stored.path("health_check").path("endpoint").asText(),
                    preset.id());
            admin().delete("/api/providers/" + name).then().statusCode(204);
        }
    }

    @Test
    void jsonModeStartsFromThePresetsDocument() throws Exception {
        Document page = DashboardClient.login().page("/providers/new?preset=together&mode=json");
        JsonNode document = JSON.readTree(page.selectFirst("textarea#provider-json").wholeText());
        assertEquals("https://api.together.xyz/v1", document.path("base_url").asText());
        assertEquals("${TOGETHER_API_KEY}", document.path("auth").path("api_key").asText());
        assertEquals("/providers/new?preset=vllm&mode=json",
                page.selectFirst("a.preset[data-preset=vllm]").attr("href"));
    }

    @Test
    void anUnknownPresetGivesTheBlankForm() {
        Document page = DashboardClient.login().page("/providers/new?preset=nope");
        assertNull(page.selectFirst("#preset-hint"));
        assertEquals("", page.selectFirst("#f-base_url").attr("value"));
    }

    @Test
    void editPageAdvisesHttpsForAPlainHttpPublicUrlOnly() {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-http");
        Document page = browser.page("/providers/new?preset=vllm");
        Map<String, Object> form = single(fields(page.selectFirst("form#provider-form")));
        form.put("name", name);
        form.put("base_url", "http://my-vllm.example.com/v1");
        form.put("models[0].id", "llama-3-70b");
        Response saved = browser.post("/providers", form);
        assertEquals(303, saved.statusCode(), "saved, not refused: " + saved.asString());

        Document edit = browser.page("/providers/" + name + "/edit?saved=1");
        assertNotNull(edit.selectFirst("#saved"));
        Element advice = edit.selectFirst("#https-advice li[data-field='endpoints[0].base_url']");
        assertNotNull(advice, edit.select("#https-advice").toString());
        assertTrue(advice.text().contains("my-vllm.example.com"), advice.text());

        Response tested = browser.post("/providers/" + name + "/test", Map.of());
        assertEquals(200, tested.statusCode());
        assertTrue(tested.asString().contains("id=\"test-https-advice\""), tested.asString());

        String local = uniqueName("dash-local");
        form.put("name", local);
        form.put("base_url", "http://localhost:8000/v1");
        assertEquals(303, browser.post("/providers", form).statusCode());
        assertNull(browser.page("/providers/" + local + "/edit").selectFirst("#https-advice"));
    }
}
