package io.visca.gateway.router.adapter.anthropic;

import static io.visca.gateway.router.adapter.AdapterCallKit.headers;
import static io.visca.gateway.router.adapter.AdapterCallKit.json;
import static io.visca.gateway.router.adapter.AdapterCallKit.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.http.HttpMethod;
import io.visca.gateway.router.adapter.AdapterCallKit;
import io.visca.gateway.router.adapter.AdapterCallKit.Setup;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamRequest;

/**
 * {@link AnthropicAdapter} and {@link AnthropicRequests}: OpenAI chat requests as Messages API requests, what the
 * Messages API cannot express, and the operations the adapter supports; without Quarkus or a network.
 */
class AnthropicAdapterRequestTests {

    private final AnthropicAdapter adapter = new AnthropicAdapter(4096, "2023-06-01");

    private UpstreamCall call(String request) {
        return AdapterCallKit.call(adapter, Setup.of("https://api.anthropic.com/", "claude-sonnet-4-5"), Operation.CHAT,
                request, headers("x-api-key", "sk-ant-test"), null);
    }

    // ---------------------------------------------------------------------------------------------- request

    @Test
    void mapsTheRequest() {
        UpstreamCall call = call("""
                {"model": "client-model", "stream": true, "stream_options": {"include_usage": true},
                 "max_completion_tokens": 300, "stop": "END", "temperature": 0.2, "top_p": 0.9, "user": "u-42",
                 "seed": 7,
                 "messages": [
                   {"role": "system", "content": "Be brief."},
                   {"role": "developer", "content": [{"type": "text", "text": "Answer in French."}]},
                   {"role": "user", "content": [
                     {"type": "text", "text": "What is on these?"},
                     {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                     {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}]},
                   {"role": "assistant", "content": null, "tool_calls": [
                     {"id": "call_1", "type": "function",
                      "function": {"name": "weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                     {"id": "call_2", "type": "function", "function": {"name": "time", "arguments": ""}}]},
                   {"role": "tool", "tool_call_id": "call_1", "content": "12 C"},
                   {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "noon"}]},
                   {"role": "user", "content": "Thanks!"},
                   {"role": "user", "content": "And tomorrow?"}],
                 "tools": [{"type": "function", "function": {"name": "weather", "description": "Weather now",
                   "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}},
                   {"type": "function", "function": {"name": "time"}}],
                 "tool_choice": "required", "parallel_tool_calls": false}
                """);
        UpstreamRequest request = adapter.request(call);
        assertEquals(HttpMethod.POST, request.method());
        assertEquals("https://api.anthropic.com/v1/messages", request.url());
        assertEquals("2023-06-01", request.headers().get("anthropic-version"));
        assertEquals("sk-ant-test", request.headers().get("x-api-key"));
        assertEquals("application/json", request.headers().get("content-type"));

        JsonNode body = parse(request.body());
        assertEquals(json("""
                {"model": "claude-sonnet-4-5",
                 "system": "Be brief.\\n\\nAnswer in French.",
                 "messages": [
                   {"role": "user", "content": [
                     {"type": "text", "text": "What is on these?"},
                     {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
                     {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}}]},
                   {"role": "assistant", "content": [
                     {"type": "tool_use", "id": "call_1", "name": "weather", "input": {"city": "Paris"}},
                     {"type": "tool_use", "id": "call_2", "name": "time", "input": {}}]},
                   {"role": "user", "content": [
                     {"type": "tool_result", "tool_use_id": "call_1", "content": "12 C"},
                     {"type": "tool_result", "tool_use_id": "call_2", "content": "noon"},
                     {"type": "text", "text": "Thanks!"},
                     {"type": "text", "text": "And tomorrow?"}]}],
                 "max_tokens": 300,
                 "stop_sequences": ["END"],
                 "temperature": 0.2,
                 "top_p": 0.9,
                 "tools": [
                   {"name": "weather", "description": "Weather now",
                    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}},
                   {"name": "time", "input_schema": {"type": "object", "properties": {}}}],
                 "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
                 "metadata": {"user_id": "u-42"},
                 "stream": true}
                """), body);
    }

    @Test
    void defaultsMaxTokensAndKeepsPlainTextAsAString() {
        JsonNode body = adapter.body(call("""
                {"model": "client-model", "stop": ["a", "b"],
                 "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"},
                              {"role": "user", "content": "Bye"}]}
                """));
        assertEquals(4096, body.path("max_tokens").asInt());
        assertEquals(json("{\"x\": [\"a\", \"b\"]}").get("x"), body.path("stop_sequences"));
        assertEquals("Hi", body.path("messages").path(0).path("content").asText());
        assertEquals("assistant", body.path("messages").path(1).path("role").asText());
        assertFalse(body.has("system"));
        assertFalse(body.has("stream"));
        assertFalse(body.has("tool_choice"));
        assertEquals(512, adapter.body(call("""
                {"model": "client-model", "max_tokens": 512, "messages": [{"role": "user", "content": "Hi"}]}
                """)).path("max_tokens").asInt());
    }

    @Test
    void mapsToolChoices() {
        String tools = "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]";
        String messages = "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]";
        assertEquals(json("{\"type\": \"auto\"}"), toolChoice(tools, messages, "\"auto\""));
        assertEquals(json("{\"type\": \"none\"}"), toolChoice(tools, messages, "\"none\""));
        assertEquals(json("{\"type\": \"any\"}"), toolChoice(tools, messages, "\"required\""));
        assertEquals(json("{\"type\": \"tool\", \"name\": \"f\"}"),
                toolChoice(tools, messages, "{\"type\": \"function\", \"function\": {\"name\": \"f\"}}"));
        JsonNode parallelOff = adapter.body(call("{" + tools + ", " + messages + ", \"parallel_tool_calls\": false}"));
        assertEquals(json("{\"type\": \"auto\", \"disable_parallel_tool_use\": true}"),
                parallelOff.path("tool_choice"));
        JsonNode noTools = adapter.body(call("{" + messages + ", \"parallel_tool_calls\": false, "
                + "\"tool_choice\": \"auto\"}"));
        assertFalse(noTools.has("tool_choice"));
        assertFalse(noTools.has("tools"));
    }

    private JsonNode toolChoice(String tools, String messages, String choice) {
        return adapter.body(call("{" + tools + ", " + messages + ", \"tool_choice\": " + choice + "}"))
                .path("tool_choice");
    }

    @Test
    void rejectsWhatTheMessagesApiCannotExpress() {
        GatewayError n = assertThrows(GatewayError.class, () -> adapter.request(call("""
                {"model": "client-model", "n": 2, "messages": [{"role": "user", "content": "Hi"}]}
                """)));
        assertEquals(400, n.status());
        assertEquals("n", n.param());
        assertTrue(n.getMessage().contains("'n' must be 1"), n.getMessage());

        GatewayError onlySystem = assertThrows(GatewayError.class, () -> adapter.body(call("""
                {"model": "client-model", "messages": [{"role": "system", "content": "Be brief."}]}
                """)));
        assertEquals(400, onlySystem.status());

        GatewayError badArguments = assertThrows(GatewayError.class, () -> adapter.body(call("""
                {"model": "client-model", "messages": [{"role": "user", "content": "Hi"},
                 {"role": "assistant", "tool_calls": [{"id": "c", "type": "function",
                  "function": {"name": "f", "arguments": "not json"}}]}]}
                """)));
        assertEquals(400, badArguments.status());

        GatewayError audio = assertThrows(GatewayError.class, () -> adapter.body(call("""
                {"model": "client-model", "messages": [{"role": "user", "content": [
                 {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}]}]}
                """)));
        assertEquals(400, audio.status());
        assertTrue(audio.getMessage().contains("input_audio"));
    }

    @Test
    void supportsOnlyChat() {
        assertTrue(adapter.supports(Operation.CHAT));
        assertFalse(adapter.supports(Operation.COMPLETIONS));
        assertFalse(adapter.supports(Operation.EMBEDDINGS));
        assertEquals("anthropic", adapter.type());
    }

    @Test
    void toolArgumentsNestedAsDeepAsTheParserTakesStillMapToToolUse() {
        // 1000 levels (the most one parse takes) inside a string, placed inside the Messages body: it must serialize
        String arguments = "{\\\"a\\\":".repeat(1000) + "1" + "}".repeat(1000);
        UpstreamCall call = call("""
                {"model": "client-model", "messages": [{"role": "user", "content": "Weather?"},
                 {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function",
                  "function": {"name": "f", "arguments": "%s"}}]},
                 {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}]}
                """.formatted(arguments));

        String body = adapter.request(call).body().toString();

        assertTrue(body.contains("\"tool_use\"") && body.contains("{\"a\":".repeat(1000) + "1"), "the whole input");
    }
}
