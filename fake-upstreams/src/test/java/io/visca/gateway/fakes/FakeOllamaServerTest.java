package io.visca.gateway.fakes;

import static io.visca.gateway.fakes.Http.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class FakeOllamaServerTest {

    private static final String CHAT = j("{'model':'llama3:8b','messages':[{'role':'user','content':'Hi there'}]");
    private static FakeOllamaServer server;

    @BeforeAll
    static void start() {
        server = FakeOllamaServer.start().models("llama3:8b", "nomic-embed-text");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.healthy().toolCall(null, null).breakStreamAfter(0).requireApiKey(null);
    }

    private static List<JsonNode> ndjson(Http.Streamed s) {
        return s.lines().stream().filter(l -> !l.isBlank()).map(Http::json).toList();
    }

    @Test
    void isRunningAndListsItsModels() {
        Http.Response root = Http.get(server.baseUrl() + "/");
        assertEquals(200, root.status());
        assertEquals("Ollama is running", root.body());
        JsonNode tags = Http.get(server.baseUrl() + "/api/tags").json();
        assertEquals("llama3:8b", tags.path("models").get(0).path("name").asText());
        assertEquals("nomic-embed-text:latest", tags.path("models").get(1).path("model").asText());
        assertEquals("gguf", tags.path("models").get(0).path("details").path("format").asText());
    }

    @Test
    void streamsChatAsNdjsonByDefault() {
        Http.Streamed s = Http.stream(server.baseUrl() + "/api/chat", CHAT + "}");
        assertEquals(200, s.status());
        assertEquals("application/x-ndjson", s.header("content-type"));
        assertFalse(s.broken());
        List<JsonNode> lines = ndjson(s);
        StringBuilder text = new StringBuilder();
        lines.subList(0, lines.size() - 1).forEach(l -> {
            assertFalse(l.path("done").asBoolean());
            assertEquals("assistant", l.path("message").path("role").asText());
            text.append(l.path("message").path("content").asText());
        });
        assertEquals("Hello from the fake upstream.", text.toString());
        JsonNode last = lines.get(lines.size() - 1);
        assertTrue(last.path("done").asBoolean());
        assertEquals("stop", last.path("done_reason").asText());
        assertEquals("", last.path("message").path("content").asText());
        assertEquals(2, last.path("prompt_eval_count").asLong());
        assertEquals(5, last.path("eval_count").asLong());
        for (String field : new String[] { "model", "created_at", "total_duration", "load_duration",
                "prompt_eval_duration", "eval_duration" }) {
            assertTrue(last.has(field), field);
        }
    }

    @Test
    void answersInOneObjectWhenNotStreamingAndHonoursNumPredict() {
        JsonNode body = Http.post(server.baseUrl() + "/api/chat",
                CHAT + j(",'stream':false,'options':{'num_predict':2}}")).json();
        assertTrue(body.path("done").asBoolean());
        assertEquals("length", body.path("done_reason").asText());
        assertEquals("Hello from", body.path("message").path("content").asText());
        assertEquals(2, body.path("eval_count").asLong());
    }

    @Test
    void callsToolsWithArgumentsAsAnObject() {
        server.toolCall("get_weather", j("{'city':'Paris'}"));
        String tools = j(",'tools':[{'type':'function','function':{'name':'get_weather'}}]");
        JsonNode body = Http.post(server.baseUrl() + "/api/chat", CHAT + tools + ",\"stream\":false}").json();
        JsonNode fn = body.path("message").path("tool_calls").get(0).path("function");
        assertEquals("get_weather", fn.path("name").asText());
        assertTrue(fn.path("arguments").isObject());
        assertEquals("Paris", fn.path("arguments").path("city").asText());

        List<JsonNode> lines = ndjson(Http.stream(server.baseUrl() + "/api/chat", CHAT + tools + "}"));
        assertEquals(2, lines.size());
        assertEquals("get_weather",
                lines.get(0).path("message").path("tool_calls").get(0).path("function").path("name").asText());
        assertTrue(lines.get(1).path("done").asBoolean());
    }

    @Test
    void generatesAndEmbeds() {
        List<JsonNode> lines = ndjson(
                Http.stream(server.baseUrl() + "/api/generate", j("{'model':'llama3:8b','prompt':'Say hi'}")));
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l.path("response").asText()));
        assertEquals("Hello from the fake upstream.", text.toString());
        JsonNode last = lines.get(lines.size() - 1);
        assertTrue(last.path("done").asBoolean());
        assertTrue(last.path("context").isArray());

        JsonNode embed = Http.post(server.baseUrl() + "/api/embed",
                j("{'model':'nomic-embed-text','input':['a b','c']}")).json();
        assertEquals("nomic-embed-text", embed.path("model").asText());
        assertEquals(2, embed.path("embeddings").size());
        assertEquals(3, embed.path("prompt_eval_count").asLong());
    }

    @Test
    void answersOllamasErrors() {
        Http.Response missing = Http.post(server.baseUrl() + "/api/chat",
                j("{'model':'mistral','messages':[{'role':'user','content':'x'}]}"));
        assertEquals(404, missing.status());
        assertEquals("model \"mistral\" not found, try pulling it first", missing.json().path("error").asText());
        assertEquals("model is required", Http.post(server.baseUrl() + "/api/chat", "{}").json().path("error")
                .asText());
        server.failWith(503, null);
        Http.Response busy = Http.post(server.baseUrl() + "/api/chat", CHAT + "}");
        assertEquals(503, busy.status());
        assertTrue(busy.json().path("error").asText().startsWith("server busy"));
        assertEquals(503, Http.get(server.baseUrl() + "/").status());
    }

    @Test
    void honoursARequiredKeyButNotOnTheRoot() {
        server.requireApiKey("secret");
        Http.Response denied = Http.post(server.baseUrl() + "/api/chat", CHAT + ",\"stream\":false}");
        assertEquals(401, denied.status());
        assertEquals("unauthorized", denied.json().path("error").asText());
        assertEquals(200, Http.post(server.baseUrl() + "/api/chat", CHAT + ",\"stream\":false}", "Authorization",
                "Bearer secret").status());
        assertEquals(200, Http.get(server.baseUrl() + "/").status());
    }

    @Test
    void breaksTheStreamOffBeforeDone() {
        server.breakStreamAfter(3);
        Http.Streamed s = Http.stream(server.baseUrl() + "/api/chat", CHAT + "}");
        List<JsonNode> lines = ndjson(s);
        assertEquals(3, lines.size());
        assertTrue(lines.stream().noneMatch(l -> l.path("done").asBoolean()));
        assertTrue(s.broken());
    }
}
