package io.visca.gateway.registry.dashboard;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.service;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeOpenAiServer;

/**
 * The Custom Providers pages against the real service, database and Kafka: the list, the form and its JSON mode,
 * validation, CSRF, write-only keys, enable/disable, delete and Test Connection. The health monitor and billing
 * are {@link FakeBackends}.
 */
@QuarkusTest
class ProvidersPageTests {

    private static final ObjectMapper JSON = new ObjectMapper();
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

    /** A complete, valid form as a browser sends it. */
    private static Map<String, Object> goodForm(String name) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("name", name);
        form.put("type", "openai-compatible");
        form.put("enabled", "true");
        form.put("base_url", "");
        form.put("endpoints[0].url", "http://10.0.0.1:8000/v1");
        form.put("endpoints[0].weight", "3");
        form.put("endpoints[0].id", "");
        form.put("endpoints[1].url", "http://10.0.0.2:8000/v1");
        form.put("endpoints[1].weight", "1");
        form.put("endpoints[1].id", "replica-2");
        form.put("auth_type", "bearer");
        form.put("api_key", "${MY_VLLM_KEY}");
        form.put("models[0].id", "llama-3-70b");
        form.put("models[0].name", "Llama 3 70B");
        form.put("models[0].context_window", "8192");
        form.put("models[0].cost_per_1k_input", "0.0005");
        form.put("models[0].cost_per_1k_output", "0.0015");
        form.put("models[0].mode", "");
        form.put("health_check.enabled", "true");
        form.put("health_check.endpoint", "/models");
        form.put("health_check.interval_seconds", "60");
        form.put("health_check.timeout_seconds", "5");
        form.put("timeouts.connect_ms", "2000");
        form.put("rate_limit.requests_per_minute", "600");
        form.put("retry.max_retries", "2");
        return form;
    }

    /** The same provider as the API's JSON document. */
    private static String goodDocument(String name) {
        return """
                {"name": "%s", "type": "openai-compatible", "enabled": true,
                 "endpoints": [{"base_url": "http://10.0.0.1:8000/v1", "weight": 3},
                               {"id": "replica-2", "base_url": "http://10.0.0.2:8000/v1", "weight": 1}],
                 "auth": {"auth_type": "bearer", "api_key": "${MY_VLLM_KEY}"},
                 "models": [{"id": "llama-3-70b", "name": "Llama 3 70B", "context_window": 8192,
                             "cost_per_1k_input": 0.0005, "cost_per_1k_output": 0.0015}],
                 "health_check": {"enabled": true, "endpoint": "/models", "interval_seconds": 60, "timeout_seconds": 5},
                 "timeouts": {"connect_ms": 2000}, "rate_limit": {"requests_per_minute": 600},
                 "retry": {"max_retries": 2}}
                """.formatted(name);
    }

    private static JsonNode stored(String name) throws IOException {
        return JSON.readTree(service().get("/internal/providers/" + name).then().statusCode(200).extract().asString());
    }

    private static JsonNode withoutName(JsonNode node) {
        ObjectNode copy = node.deepCopy();
        copy.remove("name");
        return copy;
    }

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
        Response empty = browser.post("/providers", Map.of("name", "", "type", "openai-compatible",
                "auth_type", "none"));
        assertEquals(400, empty.statusCode());
        Document page = Jsoup.parse(empty.asString());
        assertNotNull(page.selectFirst(".field-error[data-field=name]"));
        assertNotNull(page.selectFirst(".field-error[data-field=endpoints]"));
        assertNotNull(page.selectFirst(".field-error[data-field=models]"));

        String name = uniqueName("dash-taken");
        browser.post("/providers", goodForm(name)).then().statusCode(303);
        Response taken = browser.post("/providers", goodForm(name));
        assertEquals(409, taken.statusCode());
        assertNotNull(Jsoup.parse(taken.asString()).selectFirst(".field-error[data-field=name]"));
        admin().delete("/api/providers/" + name).then().statusCode(204);
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

        resubmit.put("api_key", "${NEW_KEY_VAR}");
        browser.post("/providers/" + name, resubmit).then().statusCode(303);
        assertEquals("${NEW_KEY_VAR}", stored(name).at("/auth/api_key").asText());
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

    private static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/examples"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
