package io.visca.gateway.registry.dashboard;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.service;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static io.visca.gateway.registry.dashboard.ProviderForms.goodDocument;
import static io.visca.gateway.registry.dashboard.ProviderForms.goodForm;
import static io.visca.gateway.registry.dashboard.ProviderForms.stored;
import static io.visca.gateway.registry.dashboard.ProviderForms.withoutName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The add/edit provider form and its JSON mode against the real service, database and Kafka: a good form stores what
 * the API would, validation beside the fields with nothing saved, write-only keys, every field kept on edit, the
 * shared examples taken as they are.
 */
@QuarkusTest
class ProviderFormPageTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aGoodFormCreatesTheProviderExactlyAsTheApiWould() throws IOException {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-form");
        Response saved = browser.post("/providers", goodForm(name));
        assertEquals(303, saved.statusCode(), saved.asString());
        assertTrue(saved.header("Location").endsWith("/providers/" + name + "/edit?saved=1"), saved.header("Location"));

        String viaApi = uniqueName("dash-api");
        admin().body(goodDocument(viaApi)).post("/api/providers").then().statusCode(201);
        assertEquals(withoutName(stored(viaApi)), withoutName(stored(name)));

        Document edit = browser.page("/providers/" + name + "/edit?saved=1");
        assertNotNull(edit.selectFirst("#saved"));
        admin().delete("/api/providers/" + name).then().statusCode(204);
        admin().delete("/api/providers/" + viaApi).then().statusCode(204);
    }

    @Test
    void badInputGives400WithInlineErrorsKeepsTheInputAndSavesNothing() {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-bad");
        Map<String, Object> form = goodForm(name);
        form.put("endpoints[0].url", "ftp://nowhere");
        form.put("endpoints[1].weight", "lots");
        form.put("models[0].cost_per_1k_input", "cheap");
        form.put("health_check.timeout_seconds", "120");
        form.put("auth_type", "header");
        Response response = browser.post("/providers", form);
        assertEquals(400, response.statusCode());
        Document page = Jsoup.parse(response.asString());
        for (String field : List.of("endpoints[0].base_url", "endpoints[1].weight", "models[0].cost_per_1k_input",
                "health_check.timeout_seconds", "auth.header_name")) {
            Element error = page.selectFirst("#provider-form .field-error[data-field=\"" + field + "\"]");
            assertNotNull(error, field + " in " + page.select(".field-error"));
            assertFalse(error.text().isBlank());
        }
        // beside its field: the error follows the input it is about
        Element urlError = page.selectFirst(".field-error[data-field=\"endpoints[0].base_url\"]");
        assertNotNull(urlError.parent().selectFirst("input[name=\"endpoints[0].url\"]"));
        assertEquals(5, page.select("#form-errors li").size(), page.select("#form-errors").text());
        assertEquals("ftp://nowhere", page.selectFirst("input[name=\"endpoints[0].url\"]").attr("value"));
        assertEquals("Llama 3 70B", page.selectFirst("input[name=\"models[0].name\"]").attr("value"));
        assertEquals("", page.selectFirst("input[name=api_key]").attr("value"));
        assertFalse(response.asString().contains("MY_VLLM_KEY"), "a typed secret is not sent back");
        admin().get("/api/providers/" + name).then().statusCode(404);
    }

    @Test
    void reportsTheApisViolationsForMissingFieldsAndATakenName() {
        DashboardClient browser = DashboardClient.login();
        // replicate: since issue 15 an openai-compatible provider may leave models out (they are discovered), a type
        // without a model listing may not
        Response empty = browser.post("/providers", Map.of("name", "", "type", "replicate",
                "auth_type", "none"));
        assertEquals(400, empty.statusCode());
        Document page = Jsoup.parse(empty.asString());
        assertNotNull(page.selectFirst(".field-error[data-field=name]"));
        assertNotNull(page.selectFirst(".field-error[data-field=endpoints]"));
        assertTrue(page.selectFirst(".field-error[data-field=models]").text().contains("no model listing"),
                page.select(".field-error").text());

        String name = uniqueName("dash-taken");
        browser.post("/providers", goodForm(name)).then().statusCode(303);
        Response taken = browser.post("/providers", goodForm(name));
        assertEquals(409, taken.statusCode());
        assertNotNull(Jsoup.parse(taken.asString()).selectFirst(".field-error[data-field=name]"));
        admin().delete("/api/providers/" + name).then().statusCode(204);
    }

    @Test
    void theKeyIsWriteOnlyAndAnEmptyKeyFieldKeepsTheStoredOne() throws IOException {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-key");
        Map<String, Object> form = goodForm(name);
        form.put("api_key", "sk-literal-secret-4711");
        browser.post("/providers", form).then().statusCode(303);
        assertEquals("sk-literal-secret-4711", stored(name).at("/auth/api_key").asText());

        for (String path : List.of("/providers", "/providers/" + name + "/edit",
                "/providers/" + name + "/edit?mode=json")) {
            String html = browser.get(path).asString();
            assertFalse(html.contains("sk-literal-secret-4711"), path);
        }
        Document edit = browser.page("/providers/" + name + "/edit");
        Element key = edit.selectFirst("#provider-form input[name=api_key]");
        assertEquals("password", key.attr("type"));
        assertEquals("", key.attr("value"));
        assertEquals("•••••• (unchanged)", key.attr("placeholder"));
        assertTrue(edit.text().contains("${OPENAI_API_KEY}"), "the hint names ${ENV} references");

        Map<String, Object> resubmit = DashboardClient.single(DashboardClient.fields(edit.selectFirst("#provider-form")));
        resubmit.put("models[0].name", "Llama 3 70B Instruct");
        browser.post("/providers/" + name, resubmit).then().statusCode(303);
        JsonNode after = stored(name);
        assertEquals("sk-literal-secret-4711", after.at("/auth/api_key").asText());
        assertEquals("Llama 3 70B Instruct", after.at("/models/0/name").asText());

        resubmit.put("api_key", "${NEW_VAR_API_KEY}");
        browser.post("/providers/" + name, resubmit).then().statusCode(303);
        assertEquals("${NEW_VAR_API_KEY}", stored(name).at("/auth/api_key").asText());
        admin().delete("/api/providers/" + name).then().statusCode(204);
    }

    @Test
    void editingThroughTheFormKeepsEveryFieldOfTheDocument() throws IOException {
        DashboardClient browser = DashboardClient.login();
        for (Path example : examples()) {
            ObjectNode doc = (ObjectNode) JSON.readTree(Files.readString(example));
            String name = uniqueName("dash-rt");
            doc.put("name", name);
            admin().body(doc.toString()).post("/api/providers").then().statusCode(201);
            JsonNode before = stored(name);
            Document edit = browser.page("/providers/" + name + "/edit");
            Map<String, Object> form = DashboardClient.single(DashboardClient.fields(edit.selectFirst(
                    "#provider-form")));
            Response saved = browser.post("/providers/" + name, form);
            assertEquals(303, saved.statusCode(), example + ": " + saved.asString());
            assertEquals(before, stored(name), example.toString());
            admin().delete("/api/providers/" + name).then().statusCode(204);
        }
    }

    @Test
    void jsonModeAcceptsTheSharedExamplesAsTheyAre() throws IOException {
        DashboardClient browser = DashboardClient.login();
        Document newPage = browser.page("/providers/new?mode=json");
        assertNotNull(newPage.selectFirst("form#provider-json-form textarea#provider-json[name=json]"));
        assertNotNull(newPage.selectFirst("button#save-json"));
        assertNotNull(browser.page("/providers/new").selectFirst("a#edit-as-json"));
        for (Path example : examples()) {
            String document = Files.readString(example);
            String name = JSON.readTree(document).get("name").asText();
            admin().delete("/api/providers/" + name); // left over from an earlier test in this JVM, if any
            Response saved = browser.post("/providers", Map.of("json", document));
            assertEquals(303, saved.statusCode(), example + ": " + saved.asString());
            JsonNode viaDashboard = stored(name);
            admin().delete("/api/providers/" + name).then().statusCode(204);
            admin().body(document).post("/api/providers").then().statusCode(201);
            assertEquals(viaDashboard, stored(name), example.toString());

            // and the JSON mode of the edit page saves its own document unchanged
            Document edit = browser.page("/providers/" + name + "/edit?mode=json");
            String shown = edit.selectFirst("textarea#provider-json").wholeText();
            browser.post("/providers/" + name, Map.of("json", shown)).then().statusCode(303);
            assertEquals(viaDashboard, stored(name), example.toString());
            admin().delete("/api/providers/" + name).then().statusCode(204);
        }
    }

    @Test
    void jsonModeShowsTheApisViolations() {
        DashboardClient browser = DashboardClient.login();
        Response response = browser.post("/providers", Map.of("json", "{\"name\": \"Bad Name\", \"type\": \"x\"}"));
        assertEquals(400, response.statusCode());
        Document page = Jsoup.parse(response.asString());
        assertNotNull(page.selectFirst("#form-errors"));
        assertNotNull(page.selectFirst(".field-error[data-field=name]"));
        assertNotNull(page.selectFirst(".field-error[data-field=type]"));
        assertTrue(page.selectFirst("textarea#provider-json").wholeText().contains("Bad Name"));
        assertEquals(400, browser.post("/providers", Map.of("json", "{not json")).statusCode());
    }

    private static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/examples"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
