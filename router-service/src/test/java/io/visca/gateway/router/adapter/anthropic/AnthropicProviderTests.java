package io.visca.gateway.router.adapter.anthropic;

import static io.visca.gateway.router.testing.Chats.chat;
import static io.visca.gateway.router.testing.Chats.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeAnthropicServer;
import io.visca.gateway.fakes.RecordedRequest;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.FinishedRequests;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;
import io.visca.gateway.router.usage.FinishedRequest;

/** {@code anthropic}: the Messages API behind OpenAI's chat completions, against a fake speaking Anthropic's format. */
@QuarkusTest
class AnthropicProviderTests {

    private static final String REPLY = "Foxes use the Earth's magnetic field to hunt.";
    private static FakeAnthropicServer upstream;

    @BeforeAll
    static void provider() {
        upstream = FakeAnthropicServer.start().requireApiKey("sk-ant-test").reply(REPLY);
        RegistryAdmin.putProvider("""
                {"name": "t-anthropic", "type": "anthropic", "base_url": "%s",
                 "auth": {"auth_type": "header", "header_name": "x-api-key", "api_key": "sk-ant-test"},
                 "retry": {"max_retries": 0},
                 "models": [{"id": "claude-sonnet", "upstream_model": "claude-sonnet-4-5", "context_window": 200000,
                             "cost_per_1k_input": 0.003, "cost_per_1k_output": 0.015}]}"""
                .formatted(upstream.baseUrl()));
        RouterApi.awaitModel("claude-sonnet");
    }

    @AfterEach
    void reset() {
        upstream.healthy().toolCall(null, null).cachedTokens(0);
        upstream.clearRequests();
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider("t-anthropic");
        upstream.close();
    }

    @Test
    void chatIsTranslatedToMessagesAndBack() {
        ChatCompletion completion = RouterApi.sdk().chat().completions().create(chat("claude-sonnet").build());

        assertEquals(REPLY, completion.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().get(0).finishReason());
        assertEquals(8, completion.usage().orElseThrow().completionTokens());
        RecordedRequest sent = upstream.requests().get(0);
        assertEquals("/v1/messages", sent.path());
        assertEquals("sk-ant-test", sent.header("x-api-key"));
        assertTrue(sent.header("anthropic-version") != null);
        JsonNode body = json(sent.body());
        assertEquals("claude-sonnet-4-5", body.path("model").asText());
        assertEquals("You are terse.", body.path("system").asText(body.path("system").path(0).path("text").asText()));
        assertEquals(4096, body.path("max_tokens").asInt(), "the required max_tokens, defaulted");
        assertEquals(1, body.path("messages").size(), "the system message moved to the top level");
    }

    @Test
    void cachedTokensCountInThePromptAndShowAsCached() {
        upstream.cachedTokens(4);
        Response response = RouterApi.request().header("x-request-id", "req-anthropic-cache")
                .body("{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"a b c d e f\"}]}")
                .post("/v1/chat/completions");

        JsonNode usage = json(response.asString()).path("usage");
        assertEquals(4, usage.path("prompt_tokens_details").path("cached_tokens").asLong());
        FinishedRequest record = FinishedRequests.get("req-anthropic-cache");
        assertEquals(4, record.cachedTokens());
        assertEquals(usage.path("prompt_tokens").asLong(), record.promptTokens());
        assertTrue(record.promptTokens() >= 4);
        assertFalse(record.tokensEstimated());
    }

    @Test
    void streamEventsBecomeOpenAiChunksWithUsage() {
        Chats.Streamed streamed = Chats.stream(chat("claude-sonnet"));

        assertEquals(REPLY, streamed.content());
        assertEquals("stop", streamed.finishReason());
        assertEquals(8, streamed.usage().completionTokens(), "message_delta's cumulative output_tokens");
        assertTrue(streamed.usage().promptTokens() > 0);
        assertTrue(json(upstream.requests().get(0).body()).path("stream").asBoolean());
    }

    @Test
    void toolsBecomeToolUseAndComeBackAsToolCalls() {
        upstream.toolCall("get_weather", "{\"city\":\"Paris\"}");

        ChatCompletion completion = RouterApi.sdk().chat().completions()
                .create(chat("claude-sonnet").addTool(Chats.weatherTool()).build());

        ChatCompletionMessageFunctionToolCall call = completion.choices().get(0).message().toolCalls().orElseThrow()
                .get(0).asFunction();
        assertEquals("get_weather", call.function().name());
        assertEquals("Paris", json(call.function().arguments()).path("city").asText());
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, completion.choices().get(0).finishReason());
        JsonNode tool = json(upstream.requests().get(0).body()).path("tools").path(0);
        assertEquals("get_weather", tool.path("name").asText());
        assertEquals("object", tool.path("input_schema").path("type").asText());
    }

    @Test
    void streamedToolCallArrivesAsArgumentFragments() {
        upstream.toolCall("get_weather", "{\"city\":\"Paris\"}");

        Chats.Streamed streamed = Chats.stream(chat("claude-sonnet").addTool(Chats.weatherTool()));

        assertEquals("get_weather", streamed.toolName());
        assertEquals("Paris", json(streamed.toolArguments()).path("city").asText());
        assertEquals("tool_calls", streamed.finishReason());
    }

    @Test
    void toolResultsGoBackAsToolResultBlocks() {
        String body = """
                {"model": "claude-sonnet", "messages": [
                  {"role": "user", "content": "Weather in Paris?"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "toolu_01", "type": "function",
                    "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
                  {"role": "tool", "tool_call_id": "toolu_01", "content": "18C and sunny"}],
                 "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]}""";

        RouterApi.request().body(body).post("/v1/chat/completions").then().statusCode(200);

        JsonNode messages = json(upstream.requests().get(0).body()).path("messages");
        assertEquals("tool_use", messages.path(1).path("content").path(0).path("type").asText());
        assertEquals("Paris", messages.path(1).path("content").path(0).path("input").path("city").asText());
        assertEquals("tool_result", messages.path(2).path("content").path(0).path("type").asText());
        assertEquals("toolu_01", messages.path(2).path("content").path(0).path("tool_use_id").asText());
    }

    @Test
    void overloaded529IsNotARateLimit() {
        upstream.failWith(529, null);

        Response response = RouterApi.request()
                .body("{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions");

        assertNotEquals(429, response.statusCode());
        assertEquals(502, response.statusCode());
        assertEquals("upstream_overloaded", json(response.asString()).path("error").path("code").asText());
    }

    @Test
    void anthropicErrorsMapToOpenAiShapes() {
        upstream.failWith(429, null);
        Response limited = RouterApi.request()
                .body("{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions");
        assertEquals(429, limited.statusCode());
        assertTrue(limited.header("retry-after") != null);
        RouterApi.waitOutRetryAfter();

        upstream.failWith(400, null);
        Response rejected = RouterApi.request()
                .body("{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions");
        assertEquals(400, rejected.statusCode());
        assertEquals("invalid_request_error", json(rejected.asString()).path("error").path("type").asText());
    }
}
