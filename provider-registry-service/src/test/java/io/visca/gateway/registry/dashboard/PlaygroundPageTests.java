package io.visca.gateway.registry.dashboard;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.registry.TestApi;
import io.visca.gateway.registry.TinyHttpServer;

/**
 * The playground against a fake router (its SSE stream and x-visca-* headers): the registry's own key, the answer
 * relayed as events, the served provider, attempts and the cost from the served model's prices.
 */
@QuarkusTest
class PlaygroundPageTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @FakeBackendsResource.Inject
    FakeBackends backends;

    @AfterEach
    void reset() {
        backends.routerRejects(false);
    }

    private static List<JsonNode> events(Response response) throws Exception {
        assertEquals(200, response.statusCode(), response.asString());
        assertTrue(response.contentType().startsWith("text/event-stream"), response.contentType());
        List<JsonNode> events = new ArrayList<>();
        for (String line : response.asString().split("\n")) {
            if (line.startsWith("data:")) {
                events.add(JSON.readTree(line.substring(5).trim()));
            }
        }
        return events;
    }

    @Test
    void streamsTheRoutersAnswerWithWhoServedItAndItsCost() throws Exception {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-pg");
        TestApi.create(json("{'name':'" + name + "','type':'openai-compatible','base_url':'http://10.2.2.2/v1',"
                + "'models':[{'id':'pg-model','cost_per_1k_input':'0.002','cost_per_1k_output':'0.006'}]}"));
        backends.servedBy(name);
        Document page = browser.page("/playground");
        assertNotNull(page.selectFirst("form#playground-form select#model[name=model] option[value=auto]"));
        assertNotNull(page.selectFirst("select#model option[value=pg-model]"));
        assertNotNull(page.selectFirst("select#strategy[name=strategy] option[value=latency-optimized]"));
        assertNotNull(page.selectFirst("textarea#prompt[name=prompt]"));
        assertNotNull(page.selectFirst("button#send"));
        for (String id : new String[] { "answer", "served-provider", "served-endpoint", "attempts", "latency",
                "cost" }) {
            assertNotNull(page.selectFirst("#" + id), id);
        }

        List<JsonNode> events = events(browser.post("/playground/chat", Map.of("model", "auto", "strategy",
                "latency-optimized", "prompt", "Say hello")));
        assertEquals(List.of("meta", "delta", "delta", "done"), events.stream().map(e -> e.get("type").asText())
                .toList());
        assertEquals(200, events.get(0).get("status").asInt());
        assertEquals(name, events.get(0).at("/headers/x-visca-provider").asText());
        assertEquals("Hello", events.get(1).get("text").asText() + events.get(2).get("text").asText());
        JsonNode done = events.get(3);
        assertEquals(name, done.get("provider").asText());
        assertEquals("gpu-1", done.get("endpoint").asText());
        assertEquals("2", done.get("attempts").asText());
        assertEquals(1000, done.get("prompt_tokens").asInt());
        assertEquals("0.005", done.get("cost_usd").asText()); // 1000 x 0.002 / 1000 + 500 x 0.006 / 1000
        assertTrue(done.get("latency_ms").asLong() >= 0);

        TinyHttpServer.Received sent = backends.routerRequests().get(backends.routerRequests().size() - 1);
        JsonNode body = JSON.readTree(sent.body());
        assertEquals("auto", body.get("model").asText());
        assertEquals("latency-optimized", body.at("/routing/strategy").asText());
        assertTrue(body.get("stream").asBoolean());
        assertEquals("Say hello", body.at("/messages/0/content").asText());
        String key = sent.headers().get("authorization").substring(7);
        String keyId = admin().get("/api/keys").then().extract().jsonPath()
                .getString("find { it.name == 'dashboard-playground' }.id");
        assertNotNull(keyId, "the playground's key is a gateway key of its own");
        assertTrue(key.startsWith("vsk_"));

        events(browser.post("/playground/chat", Map.of("model", "pg-model", "strategy", "", "prompt", "Again")));
        assertEquals("Bearer " + key, backends.routerRequests().get(backends.routerRequests().size() - 1)
                .headers().get("authorization"), "the key is kept in memory and reused");
        admin().delete("/api/providers/" + name).then().statusCode(204);
    }

    @Test
    void aRejectedKeyIsKeptWhileActiveAndReplacedOnceRevoked() throws Exception {
        DashboardClient browser = DashboardClient.login();
        events(browser.post("/playground/chat", Map.of("model", "auto", "prompt", "one")));
        String first = lastAuthorization();

        // the router does not know the key yet: a failure, and the same key again next time
        backends.routerRejects(true);
        List<JsonNode> rejected = events(browser.post("/playground/chat", Map.of("model", "auto", "prompt", "two")));
        assertEquals("failure", rejected.get(rejected.size() - 1).get("type").asText());
        assertTrue(rejected.get(rejected.size() - 1).get("message").asText().contains("401"));
        backends.routerRejects(false);
        events(browser.post("/playground/chat", Map.of("model", "auto", "prompt", "three")));
        assertEquals(first, lastAuthorization());

        // revoked (as another registry instance does on its first use): forgotten after the 401, then replaced
        String id = admin().get("/api/keys").then().extract().jsonPath()
                .getString("find { it.name == 'dashboard-playground' }.id");
        admin().delete("/api/keys/" + id).then().statusCode(204);
        backends.routerRejects(true);
        events(browser.post("/playground/chat", Map.of("model", "auto", "prompt", "four")));
        backends.routerRejects(false);
        events(browser.post("/playground/chat", Map.of("model", "auto", "prompt", "five")));
        assertNotEquals(first, lastAuthorization());
        List<String> playgroundKeys = admin().get("/api/keys").then().extract().jsonPath()
                .getList("findAll { it.name == 'dashboard-playground' }.id");
        assertEquals(1, playgroundKeys.size(), playgroundKeys.toString());
    }

    private String lastAuthorization() {
        return backends.routerRequests().get(backends.routerRequests().size() - 1).headers().get("authorization");
    }

    @Test
    void needsTheCsrfTokenAndAPrompt() throws Exception {
        DashboardClient browser = DashboardClient.login();
        int before = backends.routerRequests().size();
        browser.postWithoutCsrf("/playground/chat", Map.of("model", "auto", "prompt", "x")).then().statusCode(403);
        List<JsonNode> events = events(browser.post("/playground/chat", Map.of("model", "auto", "prompt", " ")));
        assertEquals("failure", events.get(0).get("type").asText());
        events = events(browser.post("/playground/chat", Map.of("model", "auto", "prompt", "x", "strategy",
                "fastest")));
        assertEquals("failure", events.get(0).get("type").asText());
        assertEquals(before, backends.routerRequests().size());
    }
}
