package io.visca.gateway.router.adapter.tgi;

import static io.visca.gateway.router.adapter.AdapterCallKit.content;
import static io.visca.gateway.router.adapter.AdapterCallKit.events;
import static io.visca.gateway.router.adapter.AdapterCallKit.feed;
import static io.visca.gateway.router.adapter.AdapterCallKit.finishReasons;
import static io.visca.gateway.router.adapter.AdapterCallKit.headers;
import static io.visca.gateway.router.adapter.AdapterCallKit.json;
import static io.visca.gateway.router.adapter.AdapterCallKit.last;
import static io.visca.gateway.router.adapter.AdapterCallKit.parse;
import static io.visca.gateway.router.adapter.AdapterCallKit.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.router.adapter.AdapterCallKit;
import io.visca.gateway.router.adapter.AdapterCallKit.FakeHttp;
import io.visca.gateway.router.adapter.AdapterCallKit.Setup;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamRequest;

/** {@link TgiAdapter}: request, response, SSE stream and error mapping, without Quarkus or a network. */
class TgiAdapterTests {

    private static final String STREAM_CHAT = """
            {"model": "m", "stream": true, "messages": [{"role": "user", "content": "a"}]}
            """;

    private final TgiAdapter adapter = new TgiAdapter();
    private final FakeHttp http = new FakeHttp();

    private UpstreamCall call(Operation operation, String request) {
        return AdapterCallKit.call(adapter, Setup.of("http://tgi:8080/", "mistral-7b"), operation, request,
                headers("authorization", "Bearer hf_test"), http);
    }

    private UpstreamCall chat(String request) {
        return call(Operation.CHAT, request);
    }

    /** Sends the call to a TGI that answers 200; returns the request it got. */
    private UpstreamRequest sent(UpstreamCall call) {
        http.answer(200, "{\"generated_text\":\"\"}");
        result(adapter.send(call));
        return http.request(http.requests.size() - 1);
    }

    private static String sse(String... events) {
        StringBuilder out = new StringBuilder();
        for (String event : events) {
            out.append("data:").append(event).append("\n\n");
        }
        return out.toString();
    }

    private static String quoted(String text) {
        return Json.write(TextNode.valueOf(text)).toString();
    }

    private static String token(int id, String text, boolean special) {
        return "{\"index\":" + id + ",\"token\":{\"id\":" + id + ",\"text\":" + quoted(text)
                + ",\"logprob\":-0.1,\"special\":" + special + "},\"generated_text\":null,\"details\":null}";
    }

    private static String lastToken(int id, String text, boolean special, String generatedText, String reason,
            int generatedTokens) {
        return "{\"index\":" + id + ",\"token\":{\"id\":" + id + ",\"text\":" + quoted(text)
                + ",\"logprob\":-0.1,\"special\":" + special + "},\"generated_text\":" + quoted(generatedText)
                + ",\"details\":{\"finish_reason\":\"" + reason + "\",\"generated_tokens\":" + generatedTokens
                + ",\"seed\":null}}";
    }

    // ---------------------------------------------------------------------------------------------- request

    @Test
    void rendersChatMessagesIntoOnePromptWithParameters() {
        UpstreamCall call = chat("""
                {"model": "client-model", "max_tokens": 64, "temperature": 0.5, "top_p": 0.9, "seed": 7,
                 "stop": ["###", "\\nUser:"],
                 "messages": [
                   {"role": "system", "content": "Be brief."},
                   {"role": "user", "content": "Hi"},
                   {"role": "assistant", "content": "Hello!"},
                   {"role": "user", "content": [{"type": "text", "text": "Name a colour."}]}]}
                """);
        UpstreamRequest request = sent(call);
        assertEquals(HttpMethod.POST, request.method());
        assertEquals("http://tgi:8080/generate", request.url());
        assertEquals("Bearer hf_test", request.headers().get("authorization"));
        assertEquals("application/json", request.headers().get("content-type"));
        assertEquals("System: Be brief.\n\nUser: Hi\n\nAssistant: Hello!\n\nUser: Name a colour.\n\nAssistant:",
                parse(request.body()).path("inputs").asText());
        assertEquals(json("""
                {"inputs": "System: Be brief.\\n\\nUser: Hi\\n\\nAssistant: Hello!\\n\\nUser: Name a colour.\\n\\n\
                Assistant:",
                 "parameters": {"max_new_tokens": 64, "temperature": 0.5, "top_p": 0.9, "stop": ["###", "\\nUser:"],
                   "seed": 7, "details": true, "return_full_text": false}}
                """), parse(request.body()));
    }

    @Test
    void temperatureZeroIsGreedyAndTopPOneIsLeftOut() {
        UpstreamRequest request = sent(chat("""
                {"model": "client-model", "temperature": 0, "top_p": 1.0, "stop": "END",
                 "max_completion_tokens": 9, "max_tokens": 100,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """));
        JsonNode parameters = parse(request.body()).path("parameters");
        assertFalse(parameters.has("temperature"));
        assertFalse(parameters.path("do_sample").asBoolean(true));
        assertFalse(parameters.has("top_p"));
        assertEquals(9, parameters.path("max_new_tokens").asInt());
        assertEquals("[\"END\"]", parameters.path("stop").toString());
    }

    @Test
    void jsonResponseFormatBecomesAGrammar() {
        UpstreamRequest request = sent(chat("""
                {"model": "client-model", "messages": [{"role": "user", "content": "Hi"}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "x",
                   "schema": {"type": "object", "properties": {"a": {"type": "integer"}}}}}}
                """));
        assertEquals(json("{\"type\": \"json\", \"value\": {\"type\": \"object\", \"properties\": "
                + "{\"a\": {\"type\": \"integer\"}}}}"), parse(request.body()).path("parameters").path("grammar"));
    }

    @Test
    void streamingRequestsGoToGenerateStream() {
        UpstreamRequest request = sent(chat("""
                {"model": "client-model", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}
                """));
        assertEquals("http://tgi:8080/generate_stream", request.url());
        assertFalse(parse(request.body()).has("stream"));
    }

    @Test
    void completionPromptIsTheInput() {
        UpstreamRequest request = sent(call(Operation.COMPLETIONS, """
                {"model": "client-model", "prompt": ["Once upon a time"], "max_tokens": 5}
                """));
        assertEquals("Once upon a time", parse(request.body()).path("inputs").asText());
        GatewayError twoPrompts = assertThrows(GatewayError.class,
                () -> adapter.send(call(Operation.COMPLETIONS, "{\"model\": \"m\", \"prompt\": [\"a\", \"b\"]}")));
        assertEquals(400, twoPrompts.status());
        assertEquals("prompt", twoPrompts.param());
    }

    @Test
    void toolsAreRejectedWithAPointerToTheMessagesApi() {
        GatewayError error = assertThrows(GatewayError.class, () -> adapter.send(chat("""
                {"model": "client-model", "messages": [{"role": "user", "content": "Hi"}],
                 "tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}]}
                """)));
        assertEquals(400, error.status());
        assertTrue(error.getMessage().contains("/v1"), error.getMessage());
        assertTrue(adapter.supports(Operation.CHAT) && adapter.supports(Operation.COMPLETIONS));
        assertFalse(adapter.supports(Operation.EMBEDDINGS));
    }

    // --------------------------------------------------------------------------------------------- response

    @Test
    void mapsGeneratedTextToAChatCompletionWithoutTheStopSequence() {
        UpstreamCall call = chat("""
                {"model": "client-model", "stop": ["#", "###"], "messages": [{"role": "user", "content": "Count"}]}
                """);
        JsonNode out = parse(adapter.response(call, Buffer.buffer("""
                {"generated_text": "one two###", "details": {"finish_reason": "stop_sequence",
                 "generated_tokens": 4, "seed": null, "prefill": [], "tokens": []}}
                """)));
        assertEquals("chat.completion", out.path("object").asText());
        assertEquals("mistral-7b", out.path("model").asText());
        assertEquals("assistant", out.path("choices").path(0).path("message").path("role").asText());
        assertEquals("one two", out.path("choices").path(0).path("message").path("content").asText());
        assertEquals("stop", out.path("choices").path(0).path("finish_reason").asText());
        assertEquals(4, out.path("usage").path("completion_tokens").asLong());
        assertEquals(4, call.usage().completionTokens);
        assertTrue(call.usage().promptTokens > 0, "the prompt is estimated");
        assertTrue(call.usage().estimated);
        assertTrue(call.firstTokenNanos() > 0);
    }

    @Test
    void lengthAndEosFinishReasons() {
        JsonNode length = parse(adapter.response(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}"), Buffer.buffer(
                        "{\"generated_text\":\"a b\",\"details\":"
                                + "{\"finish_reason\":\"length\",\"generated_tokens\":2}}")));
        assertEquals("length", length.path("choices").path(0).path("finish_reason").asText());
        JsonNode eos = parse(adapter.response(chat("{\"model\":\"m\",\"stop\":[\"b\"],\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hi\"}]}"), Buffer.buffer(
                        "{\"generated_text\":\"a b\",\"details\":"
                                + "{\"finish_reason\":\"eos_token\",\"generated_tokens\":2}}")));
        assertEquals("stop", eos.path("choices").path(0).path("finish_reason").asText());
        assertEquals("a b", eos.path("choices").path(0).path("message").path("content").asText(),
                "only a stop sequence TGI stopped on is stripped");
    }

    @Test
    void promptTokensComeFromTgisHeaderWhenPresent() {
        UpstreamCall call = chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        http.answer(200, "{}", "x-prompt-tokens", "12");
        result(adapter.send(call));
        JsonNode out = parse(adapter.response(call, Buffer.buffer(
                "{\"generated_text\":\"Hey\",\"details\":{\"finish_reason\":\"eos_token\",\"generated_tokens\":2}}")));
        assertEquals(12, out.path("usage").path("prompt_tokens").asLong());
        assertEquals(14, out.path("usage").path("total_tokens").asLong());
        assertFalse(call.usage().estimated);
    }

    @Test
    void mapsACompletionToATextCompletion() {
        UpstreamCall call = call(Operation.COMPLETIONS, "{\"model\":\"m\",\"prompt\":\"Once\"}");
        JsonNode out = parse(adapter.response(call, Buffer.buffer(
                "{\"generated_text\":\" upon a time\",\"details\":{\"finish_reason\":\"length\","
                        + "\"generated_tokens\":3}}")));
        assertEquals("text_completion", out.path("object").asText());
        assertEquals("cmpl-" + AdapterCallKit.REQUEST_ID, out.path("id").asText());
        assertEquals(" upon a time", out.path("choices").path(0).path("text").asText());
        assertEquals("length", out.path("choices").path(0).path("finish_reason").asText());
        assertTrue(out.path("choices").path(0).path("logprobs").isNull());
        assertEquals(3, out.path("usage").path("completion_tokens").asLong());
    }

    @Test
    void aBodyWithoutGeneratedTextIsMalformed() {
        GatewayError error = assertThrows(GatewayError.class, () -> adapter.response(
                chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"),
                Buffer.buffer("{\"text\":\"x\"}")));
        assertEquals(502, error.status());
        assertEquals("upstream_bad_response", error.code());
    }

    // ----------------------------------------------------------------------------------------------- stream

    @Test
    void streamsTokensAsOpenAiChunksAcrossOddChunkBoundaries() {
        String upstream = sse(token(1, "Hel", false), token(2, "lo", false), token(3, " wörld", false),
                token(4, " 🙂", false), lastToken(5, "</s>", true, "Hello wörld 🙂", "eos_token", 5));
        for (int size : new int[] { 1, 3, 7, 64 }) {
            UpstreamCall call = chat("""
                    {"model": "client-model", "stream": true, "stream_options": {"include_usage": true},
                     "messages": [{"role": "user", "content": "Say hello"}]}
                    """);
            StreamMapper mapper = adapter.stream(call);
            List<JsonNode> events = events(feed(mapper, upstream, size, size + 2));
            assertEquals("assistant", events.get(0).path("choices").path(0).path("delta").path("role").asText());
            assertEquals("chat.completion.chunk", events.get(0).path("object").asText());
            assertEquals("Hello wörld 🙂", content(events), "chunk size " + size);
            assertEquals(List.of("stop"), finishReasons(events));
            JsonNode usage = events.get(events.size() - 2).path("usage");
            assertEquals(5, usage.path("completion_tokens").asLong());
            assertTrue(usage.path("prompt_tokens").asLong() > 0);
            assertEquals("[DONE]", last(events).asText());
            assertTrue(mapper.complete());
            assertTrue(call.usage().estimated);
            assertTrue(call.firstTokenNanos() > 0);
        }
    }

    @Test
    void endReturnsOnlyWhatIsLeft() {
        UpstreamCall call = chat(STREAM_CHAT);
        StreamMapper mapper = adapter.stream(call);
        Buffer first = mapper.data(Buffer.buffer(sse(token(1, "Hi", false))));
        String unterminated = sse(lastToken(2, "!", false, "Hi!", "length", 2)).replace("\n\n", "\n");
        Buffer second = mapper.data(Buffer.buffer(unterminated));
        Buffer rest = mapper.end();
        assertEquals("Hi", content(events(first)));
        assertEquals(0, second.length(), "the last event is not complete until its blank line");
        List<JsonNode> tail = events(rest);
        assertEquals("!", content(tail));
        assertEquals(List.of("length"), finishReasons(tail));
        assertEquals("[DONE]", last(tail).asText());
        assertTrue(mapper.complete());
    }

    @Test
    void streamLeavesOutTheStopSequence() {
        UpstreamCall call = chat("""
                {"model": "m", "stream": true, "stop": ["###"], "messages": [{"role": "user", "content": "a"}]}
                """);
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, sse(token(1, "Hi", false), token(2, " there", false),
                token(3, "##", false), lastToken(4, "#", false, "Hi there###", "stop_sequence", 4)), 5));
        assertEquals("Hi there", content(events));
        assertEquals(List.of("stop"), finishReasons(events));
        assertEquals("[DONE]", last(events).asText());
    }

    @Test
    void streamsATextCompletion() {
        UpstreamCall call = call(Operation.COMPLETIONS, """
                {"model": "m", "stream": true, "stream_options": {"include_usage": true}, "prompt": "Once"}
                """);
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, sse(token(1, " upon", false),
                lastToken(2, " a", false, " upon a", "length", 2)), 11));
        for (JsonNode event : events.subList(0, events.size() - 1)) {
            assertEquals("text_completion", event.path("object").asText());
            assertEquals("cmpl-" + AdapterCallKit.REQUEST_ID, event.path("id").asText());
        }
        assertEquals(" upon a", content(events));
        assertEquals(List.of("length"), finishReasons(events));
        assertTrue(events.get(0).path("choices").path(0).path("logprobs").isNull());
        assertTrue(events.get(0).path("choices").path(0).path("finish_reason").isNull());
        JsonNode usage = events.get(events.size() - 2);
        assertEquals(0, usage.path("choices").size());
        assertEquals(2, usage.path("usage").path("completion_tokens").asLong());
        assertEquals("[DONE]", last(events).asText());
    }

    @Test
    void anErrorEventFailsTheStream() {
        UpstreamCall call = chat(STREAM_CHAT);
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, sse(token(1, "Hi", false),
                "{\"error\":\"Request failed during generation: Server error: CUDA OOM\","
                        + "\"error_type\":\"generation\"}",
                token(2, "ignored", false)), 9));
        assertEquals("Hi", content(events));
        JsonNode error = last(events).path("error");
        assertTrue(error.path("message").asText().contains("CUDA OOM"), error.toString());
        assertFalse(events.stream().anyMatch(event -> "[DONE]".equals(event.asText())));
        assertTrue(mapper.complete(), "the stream already ends with the upstream's error: no second error event");
    }

    @Test
    void anOverloadedErrorEventIsRetryable() {
        UpstreamCall call = chat(STREAM_CHAT);
        List<JsonNode> events = events(feed(adapter.stream(call),
                sse("{\"error\":\"Model is overloaded\",\"error_type\":\"overloaded\"}"), 4));
        assertEquals("upstream_overloaded", last(events).path("error").path("code").asText());
    }

    @Test
    void aStreamCutShortIsNotComplete() {
        UpstreamCall call = chat("""
                {"model": "m", "stream": true, "stop": ["STOP"], "messages": [{"role": "user", "content": "a"}]}
                """);
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, sse(token(1, "Hello", false), token(2, " world", false)), 6));
        assertEquals("Hello world", content(events), "held-back text still goes out");
        assertFalse(events.stream().anyMatch(event -> "[DONE]".equals(event.asText())));
        assertFalse(mapper.complete());
    }

    // ----------------------------------------------------------------------------------------------- errors

    @Test
    void mapsTgiErrors() {
        UpstreamCall call = chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}");
        GatewayError validation = adapter.error(call, UpstreamResponse.read(422, headers(), null), Buffer.buffer(
                "{\"error\":\"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096\","
                        + "\"error_type\":\"validation\"}"));
        assertEquals(400, validation.status());
        assertEquals("upstream_rejected_request", validation.code());
        assertTrue(validation.getMessage().contains("must be <= 4096"), validation.getMessage());
        assertFalse(validation.retryable());

        GatewayError overloaded = adapter.error(call, UpstreamResponse.read(429, headers("retry-after", "3"), null),
                Buffer.buffer("{\"error\":\"Model is overloaded\",\"error_type\":\"overloaded\"}"));
        assertEquals(502, overloaded.status());
        assertEquals("upstream_overloaded", overloaded.code());
        assertEquals(3, overloaded.retryAfterSeconds());
        assertTrue(overloaded.retryable());

        GatewayError generation = adapter.error(call, UpstreamResponse.read(424, headers(), null),
                Buffer.buffer("{\"error\":\"Request failed during generation\",\"error_type\":\"generation\"}"));
        assertEquals(502, generation.status());
        assertTrue(generation.getMessage().contains("Request failed during generation"));

        GatewayError notJson = adapter.error(call, UpstreamResponse.read(503, headers(), null),
                Buffer.buffer("<html>Bad gateway</html>"));
        assertEquals("upstream_http_503", notJson.code());
        assertFalse(notJson.getMessage().contains("html"));
        assertNull(notJson.param());
    }
}
