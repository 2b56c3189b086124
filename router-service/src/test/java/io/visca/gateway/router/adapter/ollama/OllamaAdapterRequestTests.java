package io.visca.gateway.router.adapter.ollama;

import static io.visca.gateway.router.adapter.AdapterCallKit.json;
import static io.visca.gateway.router.adapter.AdapterCallKit.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.router.adapter.AdapterCallKit;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamRequest;

/**
 * {@link OllamaAdapter} and {@link OllamaRequests}: OpenAI requests as {@code /api/chat}, {@code /api/generate}
 * and {@code /api/embed} requests (the text completion and embedding round trips included), what Ollama cannot
 * take, and the operations the adapter supports; without Quarkus or a network.
 */
class OllamaAdapterRequestTests {

    private final OllamaAdapter adapter = OllamaCalls.ADAPTER;

    private static UpstreamCall call(Operation operation, String request) {
        return OllamaCalls.call(operation, request);
    }

    private static UpstreamCall chat(String request) {
        return OllamaCalls.call(Operation.CHAT, request);
    }

    // ---------------------------------------------------------------------------------------------- request

    @Test
    void mapsTheChatRequest() {
        UpstreamCall call = chat("""
                {"model": "client-model", "max_tokens": 64, "temperature": 0.3, "top_p": 0.8, "seed": 11,
                 "stop": "###", "response_format": {"type": "json_object"},
                 "messages": [
                   {"role": "developer", "content": "Be brief."},
                   {"role": "user", "content": [
                     {"type": "text", "text": "What is this?"},
                     {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"}}]},
                   {"role": "assistant", "content": null, "tool_calls": [{"id": "call_9", "type": "function",
                     "function": {"name": "lookup", "arguments": "{\\"q\\":\\"cat\\"}"}}]},
                   {"role": "tool", "tool_call_id": "call_9", "content": "a cat"}],
                 "tools": [{"type": "function", "function": {"name": "lookup",
                   "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}]}
                """);
        UpstreamRequest request = adapter.request(call);
        assertEquals(HttpMethod.POST, request.method());
        assertEquals("http://localhost:11434/api/chat", request.url());
        assertEquals(json("""
                {"model": "llama3:8b",
                 "messages": [
                   {"role": "system", "content": "Be brief."},
                   {"role": "user", "content": "What is this?", "images": ["/9j/4AAQ"]},
                   {"role": "assistant", "content": "", "tool_calls": [{"function": {"name": "lookup",
                     "arguments": {"q": "cat"}}}]},
                   {"role": "tool", "content": "a cat", "tool_name": "lookup"}],
                 "tools": [{"type": "function", "function": {"name": "lookup",
                   "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}],
                 "stream": false,
                 "options": {"temperature": 0.3, "top_p": 0.8, "seed": 11, "num_predict": 64, "stop": ["###"]},
                 "format": "json"}
                """), parse(request.body()));
    }

    @Test
    void alwaysSendsStreamAndMapsJsonSchemas() {
        JsonNode streaming = OllamaAdapter.chatBody(chat("""
                {"model": "client-model", "stream": true, "max_completion_tokens": 9,
                 "response_format": {"type": "json_schema", "json_schema": {"name": "x",
                   "schema": {"type": "object", "properties": {"a": {"type": "integer"}}}}},
                 "tool_choice": "none", "tools": [{"type": "function", "function": {"name": "f"}}],
                 "messages": [{"role": "user", "content": "Hi"}]}
                """));
        assertTrue(streaming.path("stream").asBoolean());
        assertEquals(9, streaming.path("options").path("num_predict").asInt());
        assertEquals(json("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\"}}}"),
                streaming.path("format"));
        assertFalse(streaming.has("tools"), "tool_choice none sends no tools");

        JsonNode plain = OllamaAdapter.chatBody(chat("{\"model\": \"client-model\", "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}"));
        assertTrue(plain.has("stream"));
        assertFalse(plain.path("stream").asBoolean());
        assertFalse(plain.has("options"));
        assertFalse(plain.has("format"));
    }

    @Test
    void rejectsWhatOllamaCannotTake() {
        GatewayError url = assertThrows(GatewayError.class, () -> adapter.request(chat("""
                {"model": "client-model", "messages": [{"role": "user", "content": [
                  {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}]}
                """)));
        assertEquals(400, url.status());
        GatewayError n = assertThrows(GatewayError.class, () -> adapter.request(chat("""
                {"model": "client-model", "n": 3, "messages": [{"role": "user", "content": "Hi"}]}
                """)));
        assertEquals("n", n.param());
        GatewayError tokens = assertThrows(GatewayError.class, () -> adapter.request(call(Operation.EMBEDDINGS,
                "{\"model\": \"client-model\", \"input\": [[1, 2, 3]]}")));
        assertEquals(400, tokens.status());
        assertEquals("input", tokens.param());
    }

    // ------------------------------------------------------------------------------------------ completions

    @Test
    void mapsTextCompletions() {
        UpstreamCall call = call(Operation.COMPLETIONS, """
                {"model": "client-model", "prompt": ["Once upon"], "max_tokens": 5, "suffix": "end"}
                """);
        UpstreamRequest request = adapter.request(call);
        assertEquals("http://localhost:11434/api/generate", request.url());
        assertEquals(json("""
                {"model": "llama3:8b", "prompt": "Once upon", "suffix": "end", "stream": false,
                 "options": {"num_predict": 5}}
                """), parse(request.body()));

        JsonNode body = parse(adapter.response(call, Buffer.buffer("""
                {"model": "llama3:8b", "response": " a time", "done": true, "done_reason": "length",
                 "context": [1, 2], "prompt_eval_count": 3, "eval_count": 5}
                """)));
        assertEquals("text_completion", body.path("object").asText());
        assertEquals("cmpl-" + AdapterCallKit.REQUEST_ID, body.path("id").asText());
        assertEquals(" a time", body.path("choices").path(0).path("text").asText());
        assertEquals("length", body.path("choices").path(0).path("finish_reason").asText());
        assertTrue(body.path("choices").path(0).get("logprobs").isNull());
        assertEquals(8, body.path("usage").path("total_tokens").asInt());

        GatewayError many = assertThrows(GatewayError.class, () -> adapter.request(call(Operation.COMPLETIONS,
                "{\"model\": \"client-model\", \"prompt\": [\"a\", \"b\"]}")));
        assertEquals("prompt", many.param());
    }

    // ------------------------------------------------------------------------------------------- embeddings

    @Test
    void mapsEmbeddings() {
        UpstreamCall call = call(Operation.EMBEDDINGS, """
                {"model": "client-model", "input": ["hello", "world"], "dimensions": 3}
                """);
        UpstreamRequest request = adapter.request(call);
        assertEquals("http://localhost:11434/api/embed", request.url());
        assertEquals(json("{\"model\": \"llama3:8b\", \"input\": [\"hello\", \"world\"], \"dimensions\": 3}"),
                parse(request.body()));
        JsonNode body = parse(adapter.response(call, Buffer.buffer("""
                {"model": "llama3:8b", "embeddings": [[0.5, -0.25, 1.0], [0.0, 0.125, -1.5]],
                 "total_duration": 1, "prompt_eval_count": 4}
                """)));
        assertEquals(json("""
                {"object": "list",
                 "data": [{"object": "embedding", "index": 0, "embedding": [0.5, -0.25, 1.0]},
                          {"object": "embedding", "index": 1, "embedding": [0.0, 0.125, -1.5]}],
                 "model": "llama3:8b",
                 "usage": {"prompt_tokens": 4, "total_tokens": 4}}
                """), body);
        assertEquals(4, call.usage().promptTokens);
        assertEquals(0, call.usage().completionTokens);
        assertFalse(call.usage().estimated);
    }

    @Test
    void supportsEveryOperation() {
        assertEquals("ollama", adapter.type());
        for (Operation operation : Operation.values()) {
            assertTrue(adapter.supports(operation));
        }
    }

    @Test
    void toolArgumentsNestedAsDeepAsTheParserTakesStillMapToAnObject() {
        // 1000 levels (the most one parse takes) inside a string, placed inside the /api/chat body: it must serialize
        String arguments = "{\\\"a\\\":".repeat(1000) + "1" + "}".repeat(1000);
        UpstreamCall call = chat("""
                {"model": "client-model", "messages": [{"role": "user", "content": "Weather?"},
                 {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function",
                  "function": {"name": "f", "arguments": "%s"}}]}]}
                """.formatted(arguments));

        String body = adapter.request(call).body().toString();

        assertTrue(body.contains("\"arguments\":" + "{\"a\":".repeat(1000) + "1"), "the whole arguments object");
    }
}
