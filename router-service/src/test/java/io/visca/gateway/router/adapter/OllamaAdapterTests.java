package io.visca.gateway.router.adapter;

import static io.visca.gateway.router.adapter.AdapterCallKit.arguments;
import static io.visca.gateway.router.adapter.AdapterCallKit.content;
import static io.visca.gateway.router.adapter.AdapterCallKit.events;
import static io.visca.gateway.router.adapter.AdapterCallKit.feed;
import static io.visca.gateway.router.adapter.AdapterCallKit.finishReasons;
import static io.visca.gateway.router.adapter.AdapterCallKit.json;
import static io.visca.gateway.router.adapter.AdapterCallKit.parse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.router.adapter.AdapterCallKit.Setup;
import io.visca.gateway.router.proxy.GatewayError;

/** {@link OllamaAdapter}: request, response, NDJSON stream and error mapping, without Quarkus or a network. */
class OllamaAdapterTests {

    private final OllamaAdapter adapter = new OllamaAdapter();

    private UpstreamCall call(Operation operation, String request) {
        return AdapterCallKit.call(adapter, Setup.of("http://localhost:11434", "llama3:8b"), operation, request,
                MultiMap.caseInsensitiveMultiMap(), null);
    }

    private UpstreamCall chat(String request) {
        return call(Operation.CHAT, request);
    }

    private static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
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

    // --------------------------------------------------------------------------------------------- response

    @Test
    void mapsTheChatResponse() {
        UpstreamCall call = chat("{\"model\": \"client-model\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        JsonNode body = parse(adapter.response(call, Buffer.buffer("""
                {"model": "llama3:8b", "created_at": "2025-01-01T00:00:00Z",
                 "message": {"role": "assistant", "content": "Hello!"},
                 "done": true, "done_reason": "stop", "total_duration": 100, "prompt_eval_count": 12,
                 "eval_count": 3}
                """)));
        assertEquals("chat.completion", body.path("object").asText());
        assertEquals("chatcmpl-" + AdapterCallKit.REQUEST_ID, body.path("id").asText());
        assertEquals("llama3:8b", body.path("model").asText());
        assertEquals("Hello!", body.path("choices").path(0).path("message").path("content").asText());
        assertEquals("stop", body.path("choices").path(0).path("finish_reason").asText());
        assertEquals(12, body.path("usage").path("prompt_tokens").asInt());
        assertEquals(3, body.path("usage").path("completion_tokens").asInt());
        assertEquals(15, body.path("usage").path("total_tokens").asInt());
        assertEquals(12, call.usage().promptTokens);
        assertFalse(call.usage().estimated);
        assertTrue(call.firstTokenNanos() > 0);

        UpstreamCall cut = chat("{\"model\": \"client-model\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        JsonNode length = parse(adapter.response(cut, Buffer.buffer("""
                {"model": "llama3:8b", "message": {"role": "assistant", "content": "Hello, this is long"},
                 "done": true, "done_reason": "length"}
                """)));
        assertEquals("length", length.path("choices").path(0).path("finish_reason").asText());
        assertTrue(cut.usage().estimated, "no counts: estimated");
        assertEquals(5, cut.usage().completionTokens);
        assertTrue(cut.usage().promptTokens > 0);
    }

    @Test
    void mapsToolCallsInTheResponse() {
        UpstreamCall call = chat("{\"model\": \"client-model\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        JsonNode message = parse(adapter.response(call, Buffer.buffer("""
                {"model": "llama3:8b", "message": {"role": "assistant", "content": "",
                  "tool_calls": [{"function": {"name": "weather", "arguments": {"city": "Paris"}}},
                                 {"function": {"name": "time", "arguments": {}}}]},
                 "done": true, "done_reason": "stop", "prompt_eval_count": 20, "eval_count": 10}
                """))).path("choices").path(0);
        assertEquals("tool_calls", message.path("finish_reason").asText());
        assertTrue(message.path("message").get("content").isNull());
        JsonNode calls = message.path("message").path("tool_calls");
        assertEquals("call_0", calls.path(0).path("id").asText());
        assertEquals("function", calls.path(0).path("type").asText());
        assertEquals("weather", calls.path(0).path("function").path("name").asText());
        assertEquals("{\"city\":\"Paris\"}", calls.path(0).path("function").path("arguments").asText());
        assertEquals("call_1", calls.path(1).path("id").asText());
        assertEquals("{}", calls.path(1).path("function").path("arguments").asText());
    }

    @Test
    void rejectsAnAnswerWithoutAMessage() {
        UpstreamCall call = chat("{\"model\": \"client-model\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        GatewayError error = assertThrows(GatewayError.class,
                () -> adapter.response(call, Buffer.buffer("{\"done\": true}")));
        assertEquals("upstream_bad_response", error.code());
    }

    // ----------------------------------------------------------------------------------------------- stream

    @Test
    void mapsTheChatStreamFedInOddChunks() {
        UpstreamCall call = chat("""
                {"model": "client-model", "stream": true, "stream_options": {"include_usage": true},
                 "messages": [{"role": "user", "content": "Hi"}]}
                """);
        assertTrue(parse(adapter.request(call).body()).path("stream").asBoolean());
        String upstream = lines(
                "{\"model\":\"llama3:8b\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"Gr\"},\"done\":false}",
                "{\"model\":\"llama3:8b\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"üß \"},\"done\":false}",
                "",
                "{\"model\":\"llama3:8b\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"Gott 🙏\"},\"done\":false}",
                "{\"model\":\"llama3:8b\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
                        + "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":26,\"eval_count\":4}");
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, upstream, 3, 1, 8, 5, 2, 21));

        assertTrue(mapper.complete());
        assertEquals("assistant", events.get(0).path("choices").path(0).path("delta").path("role").asText());
        assertEquals("chat.completion.chunk", events.get(0).path("object").asText());
        assertEquals("llama3:8b", events.get(1).path("model").asText());
        assertEquals("Grüß Gott 🙏", content(events));
        assertEquals(List.of("stop"), finishReasons(events));
        assertEquals(json("""
                {"prompt_tokens": 26, "completion_tokens": 4, "total_tokens": 30,
                 "prompt_tokens_details": {"cached_tokens": 0}}
                """), events.get(events.size() - 2).path("usage"));
        assertEquals("[DONE]", events.get(events.size() - 1).asText());
        assertEquals(26, call.usage().promptTokens);
        assertEquals(4, call.usage().completionTokens);
        assertTrue(call.firstTokenNanos() > 0);
    }

    @Test
    void mapsStreamedToolCallsAndLength() {
        UpstreamCall call = chat("{\"model\": \"client-model\", \"stream\": true, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Weather?\"}]}");
        String upstream = lines(
                "{\"model\":\"llama3:8b\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
                        + "{\"function\":{\"name\":\"weather\",\"arguments\":{\"city\":\"Paris\"}}},"
                        + "{\"function\":{\"name\":\"time\",\"arguments\":{}}}]},\"done\":false}",
                "{\"model\":\"llama3:8b\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
                        + "\"done_reason\":\"stop\",\"prompt_eval_count\":30,\"eval_count\":12}");
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, upstream.replace("\n", "\r\n"), 7, 2));

        assertTrue(mapper.complete());
        assertEquals("{\"city\":\"Paris\"}", arguments(events, 0));
        assertEquals("{}", arguments(events, 1));
        List<String> ids = events.stream()
                .flatMap(e -> java.util.stream.StreamSupport.stream(
                        e.path("choices").path(0).path("delta").path("tool_calls").spliterator(), false))
                .map(t -> t.path("id").asText() + "/" + t.path("function").path("name").asText()).toList();
        assertEquals(List.of("call_0/weather", "call_1/time"), ids);
        assertEquals(List.of("tool_calls"), finishReasons(events));
        assertTrue(events.stream().noneMatch(e -> e.has("usage")), "the client asked for no usage chunk");

        UpstreamCall limited = chat("{\"model\": \"client-model\", \"stream\": true, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        List<JsonNode> length = events(feed(adapter.stream(limited), lines(
                "{\"message\":{\"content\":\"a b\"},\"done\":false}",
                "{\"message\":{\"content\":\"\"},\"done\":true,\"done_reason\":\"length\"}"), 4));
        assertEquals(List.of("length"), finishReasons(length));
        assertTrue(limited.usage().estimated);
    }

    @Test
    void failsTheStreamOnAnErrorLine() {
        UpstreamCall call = chat("{\"model\": \"client-model\", \"stream\": true, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        String upstream = lines(
                "{\"model\":\"llama3:8b\",\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}",
                "{\"error\":\"llama runner process has terminated: exit status 2\"}",
                "{\"model\":\"llama3:8b\",\"message\":{\"role\":\"assistant\",\"content\":\"lo\"},\"done\":false}");
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, upstream, 6));

        assertFalse(mapper.complete());
        assertEquals("Hel", content(events));
        JsonNode error = events.get(events.size() - 1).path("error");
        assertTrue(error.path("message").asText().contains("llama runner process has terminated"));
        assertEquals(GatewayError.UPSTREAM, error.path("type").asText());
        assertTrue(events.stream().noneMatch(e -> "[DONE]".equals(e.asText())));
    }

    @Test
    void reportsAStreamCutShortAsIncomplete() {
        UpstreamCall call = chat("{\"model\": \"client-model\", \"stream\": true, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        String upstream = lines(
                "{\"model\":\"llama3:8b\",\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"done\":false}",
                "{\"model\":\"llama3:8b\",\"message\":{\"role\":\"assistant\",\"content\":\" the\"},\"done\":false}");
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, upstream.substring(0, upstream.length() - 12), 5));

        assertFalse(mapper.complete());
        assertEquals("Hello", content(events));
        assertTrue(events.stream().noneMatch(e -> "[DONE]".equals(e.asText()) || e.has("error")));
        assertTrue(call.usage().estimated);
        assertEquals(2, call.usage().completionTokens);
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

    @Test
    void streamsTextCompletions() {
        UpstreamCall call = call(Operation.COMPLETIONS, """
                {"model": "client-model", "prompt": "Once upon", "stream": true,
                 "stream_options": {"include_usage": true}}
                """);
        String upstream = lines("{\"model\":\"llama3:8b\",\"response\":\" a\",\"done\":false}",
                "{\"model\":\"llama3:8b\",\"response\":\" time\",\"done\":false}",
                "{\"model\":\"llama3:8b\",\"response\":\"\",\"done\":true,\"done_reason\":\"stop\","
                        + "\"prompt_eval_count\":3,\"eval_count\":2}");
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, upstream, 9, 4));

        assertTrue(mapper.complete());
        StringBuilder text = new StringBuilder();
        for (JsonNode event : events) {
            if (event.isObject()) {
                assertEquals("text_completion", event.path("object").asText());
                assertEquals("cmpl-" + AdapterCallKit.REQUEST_ID, event.path("id").asText());
                text.append(event.path("choices").path(0).path("text").asText(""));
            }
        }
        assertEquals(" a time", text.toString());
        assertEquals(List.of("stop"), finishReasons(events));
        assertEquals(5, events.get(events.size() - 2).path("usage").path("total_tokens").asInt());
        assertEquals("[DONE]", events.get(events.size() - 1).asText());
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
    void encodesEmbeddingsAsBase64WhenAsked() {
        UpstreamCall call = call(Operation.EMBEDDINGS, """
                {"model": "client-model", "input": "hello world", "encoding_format": "base64"}
                """);
        JsonNode body = parse(adapter.response(call, Buffer.buffer("""
                {"model": "llama3:8b", "embeddings": [[0.5, -0.25]]}
                """)));
        byte[] bytes = Base64.getDecoder().decode(body.path("data").path(0).path("embedding").asText());
        ByteBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(new float[] { 0.5f, -0.25f }, new float[] { floats.getFloat(), floats.getFloat() });
        assertTrue(call.usage().estimated);
        assertEquals(3, call.usage().promptTokens);
    }

    // ----------------------------------------------------------------------------------------------- errors

    @Test
    void mapsErrors() {
        UpstreamCall call = chat("{\"model\": \"client-model\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        GatewayError missing = error(call, 404, "{\"error\":\"model \\\"llama3:8b\\\" not found, try pulling it first\"}");
        assertEquals(502, missing.status());
        assertEquals("upstream_not_found", missing.code());
        assertTrue(missing.getMessage().contains("try pulling it first"), missing.getMessage());

        GatewayError invalid = error(call, 400, "{\"error\":\"invalid options\"}");
        assertEquals(400, invalid.status());
        assertTrue(invalid.getMessage().contains("invalid options"));

        GatewayError crashed = error(call, 500, "{\"error\":\"llama runner process has terminated\"}");
        assertEquals(502, crashed.status());
        assertTrue(crashed.retryable());

        GatewayError text = error(call, 404, "404 page not found");
        assertEquals("upstream_not_found", text.code());
    }

    private GatewayError error(UpstreamCall call, int status, String body) {
        return adapter.error(call, UpstreamResponse.read(status, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body)),
                Buffer.buffer(body));
    }

    @Test
    void supportsEveryOperation() {
        assertEquals("ollama", adapter.type());
        for (Operation operation : Operation.values()) {
            assertTrue(adapter.supports(operation));
        }
    }
}
