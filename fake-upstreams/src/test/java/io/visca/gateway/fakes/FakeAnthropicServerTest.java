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

class FakeAnthropicServerTest {

    private static final String[] HEADERS = { "x-api-key", "sk-ant-test", "anthropic-version", "2023-06-01",
            "content-type", "application/json" };
    private static final String TOOLS = j(",'tools':[{'name':'get_weather','input_schema':{'type':'object'}}]");
    private static FakeAnthropicServer server;

    @BeforeAll
    static void start() {
        server = FakeAnthropicServer.start().requireApiKey("sk-ant-test");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.healthy().reply("Hello from the fake upstream.").toolCall(null, null).cachedTokens(0)
                .breakStreamAfter(0);
    }

    private static String request(String extra) {
        return j("{'model':'claude-sonnet-4-5','max_tokens':100,'system':'Be brief.',"
                + "'messages':[{'role':'user','content':'Hi there'}]" + extra + "}");
    }

    private static Http.Response messages(String body) {
        return Http.post(server.baseUrl() + "/v1/messages", body, HEADERS);
    }

    private static void assertError(Http.Response res, int status, String type, String messageStart) {
        assertEquals(status, res.status(), res.body());
        JsonNode body = res.json();
        assertEquals("error", body.path("type").asText());
        assertEquals(type, body.path("error").path("type").asText());
        assertTrue(body.path("error").path("message").asText().startsWith(messageStart), res.body());
        assertTrue(body.path("request_id").asText().startsWith("req_"));
    }

    @Test
    void baseUrlHasNoV1() {
        assertEquals("http://127.0.0.1:" + server.port(), server.baseUrl());
    }

    @Test
    void requiresTheVersionHeaderAndTheKey() {
        assertError(Http.post(server.baseUrl() + "/v1/messages", request(""), "x-api-key", "sk-ant-test"), 400,
                "invalid_request_error", "anthropic-version: header is required");
        assertError(Http.post(server.baseUrl() + "/v1/messages", request(""), "anthropic-version", "2023-06-01"), 401,
                "authentication_error", "x-api-key header is required");
        assertError(Http.post(server.baseUrl() + "/v1/messages", request(""), "anthropic-version", "2023-06-01",
                "x-api-key", "wrong"), 401, "authentication_error", "invalid x-api-key");
    }

    @Test
    void validatesLikeTheRealApi() {
        assertError(messages(j("{'model':'claude-sonnet-4-5','messages':[{'role':'user','content':'x'}]}")), 400,
                "invalid_request_error", "max_tokens: Field required");
        assertError(messages(j("{'max_tokens':5,'messages':[{'role':'user','content':'x'}]}")), 400,
                "invalid_request_error", "model: Field required");
        assertError(messages(j("{'model':'claude-sonnet-4-5','max_tokens':5}")), 400, "invalid_request_error",
                "messages: Field required");
        assertError(messages(j("{'model':'claude-sonnet-4-5','max_tokens':5,'messages':[{'role':'system',"
                + "'content':'x'},{'role':'user','content':'y'}]}")), 400, "invalid_request_error",
                "messages: Unexpected role \"system\"");
        assertError(messages(j("{'model':'claude-x','max_tokens':5,'messages':[{'role':'user','content':'x'}]}")),
                404, "not_found_error", "model: claude-x");
        assertEquals(200, messages(j("{'model':'claude-sonnet-4-5','max_tokens':5,'system':[{'type':'text',"
                + "'text':'Be brief.'}],'messages':[{'role':'user','content':[{'type':'text','text':'x'}]}]}"))
                .status());
    }

    @Test
    void acceptsToolResultsAnsweringThePreviousToolUse() {
        String use = j("{'role':'assistant','content':[{'type':'tool_use','id':'toolu_1','name':'get_weather',"
                + "'input':{'city':'Paris'}}]}");
        String ok = j("{'model':'claude-sonnet-4-5','max_tokens':50,'messages':[{'role':'user','content':'Weather?'},"
                + use + ",{'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_1',"
                + "'content':'18C'}]}]}");
        assertEquals(200, messages(ok).status());
        assertError(messages(ok.replace("\"tool_use_id\":\"toolu_1\",", "")), 400, "invalid_request_error",
                "messages.2.content.0.tool_result.tool_use_id: Field required");
        assertError(messages(ok.replace("\"tool_use_id\":\"toolu_1\"", "\"tool_use_id\":\"toolu_9\"")), 400,
                "invalid_request_error", "messages.2.content.0: unexpected `tool_use_id`");
        assertError(messages(ok.replace("{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"18C\"}",
                "{\"type\":\"text\",\"text\":\"and?\"}")), 400, "invalid_request_error",
                "messages.1: `tool_use` ids were found without `tool_result` blocks");
    }

    @Test
    void answersWithAMessage() {
        server.cachedTokens(2);
        Http.Response res = messages(request(""));
        assertEquals(200, res.status());
        JsonNode body = res.json();
        assertTrue(body.path("id").asText().startsWith("msg_"));
        assertEquals("message", body.path("type").asText());
        assertEquals("assistant", body.path("role").asText());
        assertEquals("claude-sonnet-4-5", body.path("model").asText());
        assertEquals("text", body.path("content").get(0).path("type").asText());
        assertEquals("Hello from the fake upstream.", body.path("content").get(0).path("text").asText());
        assertEquals("end_turn", body.path("stop_reason").asText());
        assertTrue(body.path("stop_sequence").isNull());
        JsonNode usage = body.path("usage");
        assertEquals(2, usage.path("input_tokens").asLong(), "4 prompt words, 2 of them read from the cache");
        assertEquals(0, usage.path("cache_creation_input_tokens").asLong());
        assertEquals(2, usage.path("cache_read_input_tokens").asLong());
        assertEquals(5, usage.path("output_tokens").asLong());

        JsonNode cut = messages(request("").replace("\"max_tokens\":100", "\"max_tokens\":2")).json();
        assertEquals("max_tokens", cut.path("stop_reason").asText());
        assertEquals("Hello from", cut.path("content").get(0).path("text").asText());

        JsonNode stopped = messages(request(j(",'stop_sequences':['fake']"))).json();
        assertEquals("stop_sequence", stopped.path("stop_reason").asText());
        assertEquals("fake", stopped.path("stop_sequence").asText());
        assertEquals("Hello from the ", stopped.path("content").get(0).path("text").asText());
    }

    @Test
    void streamsTheRealEventSequence() {
        Http.Streamed s = Http.stream(server.baseUrl() + "/v1/messages", request(",\"stream\":true"), HEADERS);
        assertEquals(200, s.status());
        assertFalse(s.broken());
        List<String> events = s.values("event: ");
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop"), events);
        List<JsonNode> data = s.data();
        for (int i = 0; i < events.size(); i++) {
            assertEquals(events.get(i), data.get(i).path("type").asText());
        }
        JsonNode start = data.get(0).path("message");
        assertEquals(4, start.path("usage").path("input_tokens").asLong());
        assertEquals(1, start.path("usage").path("output_tokens").asLong());
        assertTrue(start.path("stop_reason").isNull());
        StringBuilder text = new StringBuilder();
        data.stream().filter(d -> d.path("type").asText().equals("content_block_delta"))
                .forEach(d -> text.append(d.path("delta").path("text").asText()));
        assertEquals("Hello from the fake upstream.", text.toString());
        JsonNode delta = data.get(data.size() - 2);
        assertEquals("end_turn", delta.path("delta").path("stop_reason").asText());
        assertEquals(5, delta.path("usage").path("output_tokens").asLong());
    }

    @Test
    void usesTheToolInBothModes() {
        server.toolCall("get_weather", j("{'city':'Paris'}"));
        JsonNode body = messages(request(TOOLS)).json();
        assertEquals("tool_use", body.path("stop_reason").asText());
        JsonNode block = body.path("content").get(0);
        assertEquals("tool_use", block.path("type").asText());
        assertTrue(block.path("id").asText().startsWith("toolu_"));
        assertEquals("get_weather", block.path("name").asText());
        assertEquals("Paris", block.path("input").path("city").asText());

        List<JsonNode> data = Http.stream(server.baseUrl() + "/v1/messages", request(TOOLS + ",\"stream\":true"),
                HEADERS).data();
        assertEquals("tool_use", data.get(1).path("content_block").path("type").asText());
        StringBuilder json = new StringBuilder();
        data.stream().filter(d -> d.path("delta").path("type").asText().equals("input_json_delta"))
                .forEach(d -> json.append(d.path("delta").path("partial_json").asText()));
        assertEquals(j("{'city':'Paris'}"), json.toString());
        assertEquals("tool_use", data.get(data.size() - 2).path("delta").path("stop_reason").asText());
    }

    @Test
    void listsModelsInAnthropicsFormat() {
        JsonNode list = Http.get(server.baseUrl() + "/v1/models", HEADERS).json();
        assertEquals("model", list.path("data").get(0).path("type").asText());
        assertEquals("claude-sonnet-4-5", list.path("first_id").asText());
        assertEquals("claude-haiku-4-5", list.path("last_id").asText());
        assertFalse(list.path("has_more").asBoolean());
        assertTrue(list.path("data").get(0).has("display_name"));
        assertTrue(list.path("data").get(0).has("created_at"));
        assertError(Http.get(server.baseUrl() + "/v1/models/claude-x", HEADERS), 404, "not_found_error", "model:");
    }

    @Test
    void failsWithAnthropicsErrorTypes() {
        server.failWith(529, null);
        assertError(messages(request("")), 529, "overloaded_error", "Overloaded");
        server.failWith(429, null);
        Http.Response limited = messages(request(""));
        assertError(limited, 429, "rate_limit_error", "");
        assertEquals("1", limited.header("retry-after"));
        server.failWith(500, null);
        assertError(messages(request("")), 500, "api_error", "");
    }

    @Test
    void breaksTheStreamOffBeforeMessageStop() {
        server.breakStreamAfter(4);
        Http.Streamed s = Http.stream(server.baseUrl() + "/v1/messages", request(",\"stream\":true"), HEADERS);
        assertEquals(4, s.values("event: ").size());
        assertFalse(s.values("event: ").contains("message_stop"));
        assertTrue(s.broken());
    }
}
