package io.visca.gateway.fakes;

import static io.visca.gateway.fakes.Http.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class FakeOpenAiServerTest {

    private static final String CHAT = j("{'model':'gpt-4o-mini','messages':[{'role':'user','content':'Hi there'}]");
    private static final String TOOLS = j(",'tools':[{'type':'function','function':{'name':'get_weather',"
            + "'parameters':{'type':'object'}}}]");
    private static FakeOpenAiServer server;

    @BeforeAll
    static void start() {
        server = FakeOpenAiServer.start().requireApiKey("sk-test").models("gpt-4o-mini", "gpt-4o");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.healthy().reply("Hello from the fake upstream.").toolCall(null, null).cachedTokens(0)
                .breakStreamAfter(0).rejectStreamOptions(false).delay(0).clearRequests();
    }

    private static Http.Response chat(String body) {
        return Http.post(server.baseUrl() + "/chat/completions", body, "Authorization", "Bearer sk-test",
                "Content-Type", "application/json");
    }

    private static Http.Streamed chatStream(String body) {
        return Http.stream(server.baseUrl() + "/chat/completions", body, "Authorization", "Bearer sk-test");
    }

    @Test
    void baseUrlHasTheV1Prefix() {
        assertEquals("http://127.0.0.1:" + server.port() + "/v1", server.baseUrl());
    }

    @Test
    void aStoppedServerRefusesConnectionsAndStartsAgainOnTheSamePort() {
        int port = server.port();
        server.stop();
        try {
            assertThrows(java.io.UncheckedIOException.class, () -> Http.get(server.baseUrl() + "/models"));
        } finally {
            server.restart();
        }
        assertEquals(port, server.port());
        assertEquals(200, Http.get(server.baseUrl() + "/models", "Authorization", "Bearer sk-test").status());
    }

    @Test
    void listsModelsAndRejectsAWrongOrMissingKeyWithOpenAisError() {
        Http.Response ok = Http.get(server.baseUrl() + "/models", "Authorization", "Bearer sk-test");
        assertEquals(200, ok.status());
        assertEquals("list", ok.json().path("object").asText());
        assertEquals("gpt-4o", ok.json().path("data").get(1).path("id").asText());

        Http.Response wrong = Http.get(server.baseUrl() + "/models", "Authorization", "Bearer sk-nope");
        assertEquals(401, wrong.status());
        assertEquals("invalid_api_key", wrong.json().path("error").path("code").asText());
        assertEquals("invalid_request_error", wrong.json().path("error").path("type").asText());

        Http.Response missing = Http.get(server.baseUrl() + "/models");
        assertEquals(401, missing.status());
        assertTrue(missing.json().path("error").path("message").asText().startsWith("You didn't provide an API key"));
        assertEquals(200, Http.get("http://127.0.0.1:" + server.port() + "/health").status(), "health is open");
    }

    @Test
    void servesHealthAtTheRootOnlyAsVllmDoes() {
        assertEquals(200, Http.get("http://127.0.0.1:" + server.port() + "/health").status());
        assertEquals(404, Http.get(server.baseUrl() + "/health", "Authorization", "Bearer sk-test").status(),
                "no /v1/health");
    }

    @Test
    void answersAChatWithTheReplyAndWordCountedUsage() {
        Http.Response res = chat(CHAT + "}");
        assertEquals(200, res.status());
        JsonNode body = res.json();
        assertEquals("chat.completion", body.path("object").asText());
        assertEquals("Hello from the fake upstream.",
                body.path("choices").get(0).path("message").path("content").asText());
        assertEquals("stop", body.path("choices").get(0).path("finish_reason").asText());
        assertEquals(5, body.path("usage").path("prompt_tokens").asLong()); // 2 words + 3 per message
        assertEquals(5, body.path("usage").path("completion_tokens").asLong());
        assertFalse(body.path("usage").has("prompt_tokens_details"));

        JsonNode cut = chat(CHAT + ",'max_tokens':2}".replace('\'', '"')).json();
        assertEquals("Hello from", cut.path("choices").get(0).path("message").path("content").asText());
        assertEquals("length", cut.path("choices").get(0).path("finish_reason").asText());

        JsonNode unknown = chat(j("{'model':'nope','messages':[{'role':'user','content':'x'}]}")).json();
        assertEquals("model_not_found", unknown.path("error").path("code").asText());
    }

    @Test
    void reportsCachedTokens() {
        server.cachedTokens(3);
        JsonNode usage = chat(CHAT + "}").json().path("usage");
        assertEquals(3, usage.path("prompt_tokens_details").path("cached_tokens").asLong());
    }

    @Test
    void streamsChunksThenUsageThenDone() {
        Http.Streamed s = chatStream(CHAT + j(",'stream':true,'stream_options':{'include_usage':true}}"));
        assertEquals(200, s.status());
        assertTrue(s.header("content-type").startsWith("text/event-stream"));
        assertFalse(s.broken());
        assertEquals("data: [DONE]", s.lastLine());
        List<JsonNode> chunks = s.data();
        StringBuilder text = new StringBuilder();
        chunks.stream().filter(c -> c.path("choices").size() == 1)
                .forEach(c -> text.append(c.path("choices").get(0).path("delta").path("content").asText("")));
        assertEquals("Hello from the fake upstream.", text.toString());
        assertEquals("assistant", chunks.get(0).path("choices").get(0).path("delta").path("role").asText());
        JsonNode last = chunks.get(chunks.size() - 1);
        assertEquals(0, last.path("choices").size());
        assertEquals(5, last.path("usage").path("completion_tokens").asLong());
        assertEquals("stop", chunks.get(chunks.size() - 2).path("choices").get(0).path("finish_reason").asText());
        assertTrue(chunks.get(0).path("usage").isNull(), "other chunks carry usage: null");
    }

    @Test
    void callsTheToolWhenTheRequestOffersTools() {
        server.toolCall("get_weather", j("{'city':'Paris','unit':'celsius'}"));
        JsonNode plain = chat(CHAT + "}").json();
        assertEquals("stop", plain.path("choices").get(0).path("finish_reason").asText(), "no tools offered");

        JsonNode choice = chat(CHAT + TOOLS + "}").json().path("choices").get(0);
        assertEquals("tool_calls", choice.path("finish_reason").asText());
        JsonNode call = choice.path("message").path("tool_calls").get(0);
        assertTrue(choice.path("message").path("content").isNull());
        assertEquals("function", call.path("type").asText());
        assertTrue(call.path("id").asText().startsWith("call_"));
        assertEquals("get_weather", call.path("function").path("name").asText());
        assertEquals(j("{'city':'Paris','unit':'celsius'}"), call.path("function").path("arguments").asText());

        List<JsonNode> chunks = chatStream(CHAT + TOOLS + ",\"stream\":true}").data();
        JsonNode first = chunks.get(0).path("choices").get(0).path("delta").path("tool_calls").get(0);
        assertEquals("get_weather", first.path("function").path("name").asText());
        StringBuilder args = new StringBuilder();
        chunks.forEach(c -> args.append(c.path("choices").get(0).path("delta").path("tool_calls").path(0)
                .path("function").path("arguments").asText("")));
        assertEquals(j("{'city':'Paris','unit':'celsius'}"), args.toString());
        assertEquals("tool_calls",
                chunks.get(chunks.size() - 1).path("choices").get(0).path("finish_reason").asText());
    }

    @Test
    void canRejectStreamOptions() {
        server.rejectStreamOptions(true);
        Http.Response res = chat(CHAT + j(",'stream':true,'stream_options':{'include_usage':true}}"));
        assertEquals(400, res.status());
        assertTrue(res.json().path("error").path("message").asText().contains("stream_options"));
        assertEquals(200, chat(CHAT + "}").status());
    }

    @Test
    void failsWithOpenAisErrorAndReportsUnhealthy() {
        server.failWith(503, null);
        Http.Response res = chat(CHAT + "}");
        assertEquals(503, res.status());
        assertEquals("server_error", res.json().path("error").path("type").asText());
        assertEquals(503, Http.get("http://127.0.0.1:" + server.port() + "/health").status());
        server.failWith(429, null);
        Http.Response limited = chat(CHAT + "}");
        assertEquals(429, limited.status());
        assertEquals("1", limited.header("retry-after"));
        server.healthy();
        assertEquals(200, chat(CHAT + "}").status());
    }

    @Test
    void breaksTheStreamOffWithoutDone() {
        server.breakStreamAfter(2);
        Http.Streamed s = chatStream(CHAT + ",\"stream\":true}");
        assertEquals(2, s.data().size());
        assertFalse(s.lines().contains("data: [DONE]"));
        assertTrue(s.broken(), "the chunked body ends without its last chunk");
    }

    @Test
    void requiresOtherHeadersAndRecordsRequests() {
        server.requireHeader("x-tenant", v -> v.startsWith("t-"));
        try {
            assertEquals(401, chat(CHAT + "}").status());
            assertEquals(200, Http.post(server.baseUrl() + "/chat/completions", CHAT + "}", "Authorization",
                    "Bearer sk-test", "X-Tenant", "t-1").status());
            assertEquals("t-1", server.requests().get(1).header("X-Tenant"));
        } finally {
            server.requireHeader("x-tenant", (String) null);
        }
    }

    @Test
    void servesCompletionsAndEmbeddings() {
        JsonNode completion = Http.post(server.baseUrl() + "/completions",
                j("{'model':'gpt-4o-mini','prompt':'Say hi','max_tokens':1}"), "Authorization", "Bearer sk-test")
                .json();
        assertEquals("Hello", completion.path("choices").get(0).path("text").asText());
        assertEquals("length", completion.path("choices").get(0).path("finish_reason").asText());
        JsonNode embeddings = Http.post(server.baseUrl() + "/embeddings",
                j("{'model':'text-embedding-3-small','input':['a b','c']}"), "Authorization", "Bearer sk-test").json();
        assertEquals(2, embeddings.path("data").size());
        assertEquals(8, embeddings.path("data").get(0).path("embedding").size());
        assertEquals(3, embeddings.path("usage").path("prompt_tokens").asLong());
    }

    @Test
    void streamsCompletionsAsTextCompletionChunks() {
        Http.Streamed s = Http.stream(server.baseUrl() + "/completions", j("{'model':'gpt-4o-mini','prompt':'Say hi',"
                + "'stream':true,'stream_options':{'include_usage':true}}"), "Authorization", "Bearer sk-test");
        assertEquals(200, s.status());
        assertTrue(s.header("content-type").startsWith("text/event-stream"));
        assertEquals("data: [DONE]", s.lastLine());
        List<JsonNode> chunks = s.data();
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.path("choices").path(0).path("text").asText("")));
        assertEquals("Hello from the fake upstream.", text.toString());
        assertEquals("text_completion", chunks.get(0).path("object").asText());
        assertEquals("stop", chunks.get(chunks.size() - 2).path("choices").get(0).path("finish_reason").asText());
        assertEquals(5, chunks.get(chunks.size() - 1).path("usage").path("completion_tokens").asLong());
    }
}
