package io.visca.gateway.router.adapter.ollama;

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
import io.visca.gateway.router.adapter.AdapterCallKit;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.error.GatewayError;

/**
 * {@link OllamaAdapter} and {@link OllamaStream}: Ollama's answers, NDJSON streams and error bodies as OpenAI's
 * chat completions, text completions and embeddings; without Quarkus or a network.
 */
class OllamaAdapterResponseTests {

    private final OllamaAdapter adapter = OllamaCalls.ADAPTER;

    private static UpstreamCall call(Operation operation, String request) {
        return OllamaCalls.call(operation, request);
    }

    private static UpstreamCall chat(String request) {
        return OllamaCalls.call(Operation.CHAT, request);
    }

    private static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
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
}
