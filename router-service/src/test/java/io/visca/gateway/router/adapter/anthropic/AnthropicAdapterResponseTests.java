package io.visca.gateway.router.adapter.anthropic;

import static io.visca.gateway.router.adapter.AdapterCallKit.arguments;
import static io.visca.gateway.router.adapter.AdapterCallKit.content;
import static io.visca.gateway.router.adapter.AdapterCallKit.events;
import static io.visca.gateway.router.adapter.AdapterCallKit.feed;
import static io.visca.gateway.router.adapter.AdapterCallKit.finishReasons;
import static io.visca.gateway.router.adapter.AdapterCallKit.headers;
import static io.visca.gateway.router.adapter.AdapterCallKit.json;
import static io.visca.gateway.router.adapter.AdapterCallKit.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.visca.gateway.router.adapter.AdapterCallKit;
import io.visca.gateway.router.adapter.AdapterCallKit.Setup;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.error.GatewayError;

/**
 * {@link AnthropicAdapter} and {@link AnthropicStream}: Messages API responses, SSE streams and error bodies as
 * OpenAI's; without Quarkus or a network.
 */
class AnthropicAdapterResponseTests {

    private final AnthropicAdapter adapter = new AnthropicAdapter(4096, "2023-06-01");

    private UpstreamCall call(String request) {
        return AdapterCallKit.call(adapter, Setup.of("https://api.anthropic.com/", "claude-sonnet-4-5"), Operation.CHAT,
                request, headers("x-api-key", "sk-ant-test"), null);
    }

    private static String stream(String... events) {
        StringBuilder out = new StringBuilder();
        for (String event : events) {
            JsonNode node = json(event);
            out.append("event: ").append(node.path("type").asText()).append("\n").append("data: ").append(event)
                    .append("\n\n");
        }
        return out.toString();
    }

    // --------------------------------------------------------------------------------------------- response

    @Test
    void mapsTheResponse() {
        UpstreamCall call = call("{\"model\": \"client-model\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        Buffer out = adapter.response(call, Buffer.buffer("""
                {"id": "msg_01abc", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
                 "content": [{"type": "thinking", "thinking": "hmm", "signature": "x"},
                             {"type": "text", "text": "Let me check. "}, {"type": "text", "text": "One moment."},
                             {"type": "tool_use", "id": "toolu_01", "name": "weather", "input": {"city": "Paris"}}],
                 "stop_reason": "tool_use", "stop_sequence": null,
                 "usage": {"input_tokens": 10, "cache_creation_input_tokens": 5, "cache_read_input_tokens": 100,
                           "output_tokens": 42}}
                """));
        JsonNode body = parse(out);
        assertEquals("msg_01abc", body.path("id").asText());
        assertEquals("chat.completion", body.path("object").asText());
        assertEquals("claude-sonnet-4-5-20250929", body.path("model").asText());
        JsonNode choice = body.path("choices").path(0);
        assertEquals("tool_calls", choice.path("finish_reason").asText());
        assertEquals("Let me check. One moment.", choice.path("message").path("content").asText());
        JsonNode toolCall = choice.path("message").path("tool_calls").path(0);
        assertEquals("toolu_01", toolCall.path("id").asText());
        assertEquals("function", toolCall.path("type").asText());
        assertEquals("weather", toolCall.path("function").path("name").asText());
        assertEquals(json("{\"city\":\"Paris\"}"), json(toolCall.path("function").path("arguments").asText()));
        assertEquals(json("""
                {"prompt_tokens": 115, "completion_tokens": 42, "total_tokens": 157,
                 "prompt_tokens_details": {"cached_tokens": 100}}
                """), body.path("usage"));
        assertEquals(115, call.usage().promptTokens);
        assertEquals(42, call.usage().completionTokens);
        assertEquals(100, call.usage().cachedTokens);
        assertFalse(call.usage().estimated);
        assertTrue(call.firstTokenNanos() > 0);
    }

    @Test
    void leavesContentNullWhenOnlyToolsAndMapsStopReasons() {
        UpstreamCall call = call("{\"model\": \"client-model\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        JsonNode toolsOnly = parse(adapter.response(call, Buffer.buffer("""
                {"id": "msg_1", "model": "m", "content": [{"type": "tool_use", "id": "t", "name": "f", "input": {}}],
                 "stop_reason": "tool_use", "usage": {"input_tokens": 1, "output_tokens": 2}}
                """))).path("choices").path(0).path("message");
        assertTrue(toolsOnly.get("content").isNull());
        assertEquals("{}", toolsOnly.path("tool_calls").path(0).path("function").path("arguments").asText());

        assertEquals("stop", AnthropicAdapter.finishReason("end_turn"));
        assertEquals("stop", AnthropicAdapter.finishReason("stop_sequence"));
        assertEquals("length", AnthropicAdapter.finishReason("max_tokens"));
        assertEquals("tool_calls", AnthropicAdapter.finishReason("tool_use"));
        assertEquals("content_filter", AnthropicAdapter.finishReason("refusal"));

        JsonNode empty = parse(adapter.response(call(
                "{\"model\": \"client-model\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}"),
                Buffer.buffer("{\"id\": \"msg_2\", \"model\": \"m\", \"content\": [], \"stop_reason\": \"max_tokens\","
                        + " \"usage\": {\"input_tokens\": 3, \"output_tokens\": 0}}")));
        assertEquals("", empty.path("choices").path(0).path("message").path("content").asText("null"));
        assertEquals("length", empty.path("choices").path(0).path("finish_reason").asText());
    }

    @Test
    void rejectsAResponseThatIsNotAMessage() {
        UpstreamCall call = call("{\"model\": \"client-model\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        GatewayError notJson = assertThrows(GatewayError.class, () -> adapter.response(call, Buffer.buffer("<html>")));
        assertEquals(502, notJson.status());
        GatewayError noContent = assertThrows(GatewayError.class,
                () -> adapter.response(call, Buffer.buffer("{\"id\": \"x\"}")));
        assertEquals("upstream_bad_response", noContent.code());
    }

    // ----------------------------------------------------------------------------------------------- stream

    @Test
    void mapsATextStreamFedInOddChunks() {
        UpstreamCall call = call("""
                {"model": "client-model", "stream": true, "stream_options": {"include_usage": true},
                 "messages": [{"role": "user", "content": "Hi"}]}
                """);
        String upstream = stream(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XY\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
                        + "\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,"
                        + "\"cache_read_input_tokens\":10,\"output_tokens\":1}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"ping\"}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Bonjour \"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"à vous 👋\"}}",
                "{\"type\":\"content_block_stop\",\"index\":0}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                        + "\"usage\":{\"output_tokens\":7}}",
                "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":9}}",
                "{\"type\":\"message_stop\"}");
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, upstream, 1, 3, 7, 2, 13, 5, 31));

        assertTrue(mapper.complete());
        assertEquals("assistant", events.get(0).path("choices").path(0).path("delta").path("role").asText());
        assertEquals("msg_01XY", events.get(0).path("id").asText());
        assertEquals("chat.completion.chunk", events.get(0).path("object").asText());
        assertEquals("claude-sonnet-4-5-20250929", events.get(0).path("model").asText());
        assertEquals("Bonjour à vous 👋", content(events));
        assertEquals(List.of("stop"), finishReasons(events));
        JsonNode usage = events.get(events.size() - 2).path("usage");
        assertEquals(json("""
                {"prompt_tokens": 35, "completion_tokens": 9, "total_tokens": 44,
                 "prompt_tokens_details": {"cached_tokens": 10}}
                """), usage);
        assertTrue(events.get(events.size() - 2).path("choices").isEmpty());
        assertEquals("[DONE]", events.get(events.size() - 1).asText());
        assertEquals(35, call.usage().promptTokens);
        assertEquals(9, call.usage().completionTokens);
        assertEquals(10, call.usage().cachedTokens);
        assertFalse(call.usage().estimated);
        assertTrue(call.firstTokenNanos() > 0);
    }

    @Test
    void mapsToolUseBlocksToIndexedToolCalls() {
        UpstreamCall call = call("{\"model\": \"client-model\", \"stream\": true, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Weather?\"}]}");
        String upstream = stream(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_T\",\"model\":\"claude\","
                        + "\"usage\":{\"input_tokens\":50,\"output_tokens\":1}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Checking.\"}}",
                "{\"type\":\"content_block_stop\",\"index\":0}",
                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
                        + "\"id\":\"toolu_A\",\"name\":\"weather\",\"input\":{}}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\"{\\\"city\\\": \\\"Pa\"}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\"ris\\\"}\"}}",
                "{\"type\":\"content_block_stop\",\"index\":1}",
                "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\","
                        + "\"id\":\"toolu_B\",\"name\":\"time\",\"input\":{}}}",
                "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\"{}\"}}",
                "{\"type\":\"content_block_stop\",\"index\":2}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":30}}",
                "{\"type\":\"message_stop\"}");
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, upstream.replace("\n", "\r\n"), 4, 9, 1, 17));

        assertTrue(mapper.complete());
        assertEquals("Checking.", content(events));
        assertEquals("{\"city\": \"Paris\"}", arguments(events, 0));
        assertEquals("{}", arguments(events, 1));
        JsonNode firstA = events.stream()
                .map(e -> e.path("choices").path(0).path("delta").path("tool_calls").path(0))
                .filter(t -> "toolu_A".equals(t.path("id").asText())).findFirst().orElseThrow();
        assertEquals(0, firstA.path("index").asInt());
        assertEquals("function", firstA.path("type").asText());
        assertEquals("weather", firstA.path("function").path("name").asText());
        JsonNode firstB = events.stream()
                .map(e -> e.path("choices").path(0).path("delta").path("tool_calls").path(0))
                .filter(t -> "toolu_B".equals(t.path("id").asText())).findFirst().orElseThrow();
        assertEquals(1, firstB.path("index").asInt());
        assertEquals(List.of("tool_calls"), finishReasons(events));
        assertEquals("[DONE]", events.get(events.size() - 1).asText());
        // no usage chunk: the client did not ask for one
        assertTrue(events.stream().noneMatch(e -> e.has("usage")));
        assertEquals(50, call.usage().promptTokens);
        assertEquals(30, call.usage().completionTokens);
    }

    @Test
    void failsTheStreamOnAnErrorEvent() {
        UpstreamCall call = call("{\"model\": \"client-model\", \"stream\": true, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        String upstream = stream(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_E\",\"model\":\"claude\","
                        + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"lo\"}}");
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, upstream, 5, 8));

        assertFalse(mapper.complete());
        assertEquals("Hel", content(events));
        JsonNode error = events.get(events.size() - 1).path("error");
        assertEquals("upstream_overloaded", error.path("code").asText());
        assertEquals(GatewayError.UPSTREAM, error.path("type").asText());
        assertTrue(error.path("message").asText().contains("Overloaded"));
        assertTrue(events.stream().noneMatch(e -> "[DONE]".equals(e.asText())));
        assertEquals(5, call.usage().promptTokens);

        UpstreamCall limited = call("{\"model\": \"client-model\", \"stream\": true, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        List<JsonNode> rateLimited = events(feed(adapter.stream(limited), stream(
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"), 3));
        assertEquals("rate_limit_exceeded", rateLimited.get(0).path("error").path("code").asText());
    }

    @Test
    void reportsAStreamCutShortAsIncomplete() {
        UpstreamCall call = call("{\"model\": \"client-model\", \"stream\": true, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        String upstream = stream(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_C\",\"model\":\"claude\","
                        + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello there\"}}");
        // cut in the middle of the last event's data line
        String cut = upstream.substring(0, upstream.length() - 10);
        StreamMapper mapper = adapter.stream(call);
        Buffer out = feed(mapper, cut, 6);

        assertFalse(mapper.complete());
        List<JsonNode> events = events(out);
        assertTrue(events.stream().noneMatch(e -> "[DONE]".equals(e.asText())));
        assertTrue(finishReasons(events).isEmpty());
        // the last (unfinished) event never arrived whole: it is dropped, and the core appends the error event
        assertEquals("", content(events));
        assertTrue(events.stream().noneMatch(e -> e.has("error")));
        assertEquals(5, call.usage().promptTokens);
        // no output count arrived after message_start's: Anthropic's own count of 1 stays
        assertEquals(1, call.usage().completionTokens);
    }

    @Test
    void mapsAMessageStartWithoutUsageToEstimates() {
        UpstreamCall call = call("{\"model\": \"client-model\", \"stream\": true, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello there, how are you?\"}]}");
        StreamMapper mapper = adapter.stream(call);
        Buffer out = feed(mapper, stream(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_N\",\"model\":\"claude\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Fine, thanks!\"}}"),
                11);
        assertFalse(mapper.complete());
        assertEquals("Fine, thanks!", content(events(out)));
        assertTrue(call.usage().estimated);
        assertTrue(call.usage().promptTokens > 0);
        assertEquals(4, call.usage().completionTokens);
    }

    // ----------------------------------------------------------------------------------------------- errors

    @Test
    void mapsErrors() {
        UpstreamCall call = call("{\"model\": \"client-model\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        GatewayError overloaded = error(call, 529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"},\"request_id\":\"req_1\"}");
        assertEquals(502, overloaded.status());
        assertEquals("upstream_overloaded", overloaded.code());
        assertTrue(overloaded.retryable());
        assertTrue(overloaded.getMessage().contains("Overloaded"), overloaded.getMessage());

        GatewayError overloadedAs500 = error(call, 500,
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        assertEquals("upstream_overloaded", overloadedAs500.code());

        GatewayError invalid = error(call, 400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"max_tokens: Field required\"}}");
        assertEquals(400, invalid.status());
        assertEquals("upstream_rejected_request", invalid.code());
        assertTrue(invalid.getMessage().contains("max_tokens: Field required"));
        assertFalse(invalid.retryable());

        GatewayError limited = error(call, 429,
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Too many\"}}");
        assertEquals(429, limited.status());

        GatewayError auth = error(call, 401,
                "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}");
        assertEquals(502, auth.status());
        assertEquals("upstream_auth_failed", auth.code());

        GatewayError html = error(call, 503, "<html>Service Unavailable</html>");
        assertEquals(502, html.status());
        assertFalse(html.getMessage().contains("html"));
    }

    private GatewayError error(UpstreamCall call, int status, String body) {
        return adapter.error(call, UpstreamResponse.read(status, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body)),
                Buffer.buffer(body));
    }

    @Test
    void streamsNothingBeforeTheFirstEventIsWhole() {
        String request = "{\"model\": \"client-model\", \"stream\": true, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";
        StreamMapper mapper = adapter.stream(AdapterCallKit.call(adapter, Setup.of("https://api.anthropic.com", "claude"),
                Operation.CHAT, request, MultiMap.caseInsensitiveMultiMap(), null));
        assertEquals(0, mapper.data(Buffer.buffer("event: message_start\ndata: {\"type\":\"message_")).length());
        assertEquals(0, mapper.data(Buffer.buffer("start\",\"message\":{\"id\":\"m\"}}\n")).length());
        assertTrue(mapper.data(Buffer.buffer("\n")).toString().contains("\"role\":\"assistant\""));
    }
}
