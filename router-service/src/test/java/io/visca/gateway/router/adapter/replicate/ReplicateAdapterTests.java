package io.visca.gateway.router.adapter.replicate;

import static io.visca.gateway.router.adapter.AdapterCallKit.content;
import static io.visca.gateway.router.adapter.AdapterCallKit.events;
import static io.visca.gateway.router.adapter.AdapterCallKit.failure;
import static io.visca.gateway.router.adapter.AdapterCallKit.feed;
import static io.visca.gateway.router.adapter.AdapterCallKit.finishReasons;
import static io.visca.gateway.router.adapter.AdapterCallKit.headers;
import static io.visca.gateway.router.adapter.AdapterCallKit.json;
import static io.visca.gateway.router.adapter.AdapterCallKit.last;
import static io.visca.gateway.router.adapter.AdapterCallKit.parse;
import static io.visca.gateway.router.adapter.AdapterCallKit.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.contracts.provider.TimeoutsConfig;
import io.visca.gateway.router.adapter.AdapterCallKit;
import io.visca.gateway.router.adapter.AdapterCallKit.FakeHttp;
import io.visca.gateway.router.adapter.AdapterCallKit.Setup;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamRequest;

/** {@link ReplicateAdapter}: predictions, polling, SSE stream and error mapping, without Quarkus or a network. */
class ReplicateAdapterTests {

    private static final String BASE = "https://api.replicate.com/v1";
    private static final String GET_URL = "https://api.replicate.com/v1/predictions/p123";
    private static final String STREAM_URL = "https://stream.replicate.com/v1/files/abc";
    private static final String CHAT = """
            {"model": "client-model", "messages": [{"role": "user", "content": "Hi"}]}
            """;

    private final ReplicateAdapter adapter = new ReplicateAdapter();
    private final FakeHttp http = new FakeHttp();

    private UpstreamCall call(String upstreamModel, String request) {
        return call(Setup.of(BASE, upstreamModel), request);
    }

    private UpstreamCall call(Setup setup, String request) {
        return AdapterCallKit.call(adapter, setup, Operation.CHAT, request, headers("authorization", "Bearer r8_test"),
                http);
    }

    private static String prediction(String status, String extra) {
        return "{\"id\":\"p123\",\"status\":\"" + status + "\",\"urls\":{\"get\":\"" + GET_URL + "\",\"cancel\":\""
                + GET_URL + "/cancel\",\"stream\":\"" + STREAM_URL + "\"}" + (extra.isEmpty() ? "" : "," + extra)
                + "}";
    }

    // ---------------------------------------------------------------------------------------------- request

    @Test
    void aModelWithoutVersionRunsItsLatestVersion() {
        UpstreamCall call = call("meta/meta-llama-3-8b-instruct", """
                {"model": "client-model", "max_tokens": 128, "temperature": 0.6, "top_p": 0.9,
                 "stop": ["</s>", "User:"],
                 "messages": [{"role": "system", "content": "Be brief."},
                              {"role": "user", "content": "Name a colour."}]}
                """);
        http.answer(201, prediction("succeeded", "\"output\":[\"Blue\"]"));
        UpstreamResponse response = result(adapter.send(call));
        UpstreamRequest create = http.request(0);
        assertEquals(HttpMethod.POST, create.method());
        assertEquals(BASE + "/models/meta/meta-llama-3-8b-instruct/predictions", create.url());
        assertEquals("Bearer r8_test", create.headers().get("authorization"));
        assertEquals("wait=60", create.headers().get("prefer"));
        assertEquals(json("""
                {"input": {"prompt": "Name a colour.", "system_prompt": "Be brief.", "max_tokens": 128,
                  "max_new_tokens": 128, "temperature": 0.6, "top_p": 0.9, "stop_sequences": "</s>,User:"}}
                """), parse(create.body()));
        assertEquals(200, response.status());
        assertNull(response.live(), "the prediction is read: the core gets its body");
        assertTrue(response.body().toString().contains("Blue"));
        assertEquals(1, http.requests.size());
    }

    @Test
    void aPinnedVersionGoesToPredictions() {
        http.answer(201, prediction("succeeded", "\"output\":\"x\""));
        result(adapter.send(call("owner/model-name:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
                CHAT)));
        assertEquals(BASE + "/predictions", http.request(0).url());
        assertEquals("5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
                parse(http.request(0).body()).path("version").asText());

        http.answer(201, prediction("succeeded", "\"output\":\"x\""));
        result(adapter.send(call("5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa", CHAT)));
        assertEquals(BASE + "/predictions", http.request(1).url());
        assertEquals("5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
                parse(http.request(1).body()).path("version").asText());
    }

    @Test
    void aConversationIsRenderedAsTurns() {
        JsonNode input = ReplicateAdapter.input(json("""
                {"messages": [{"role": "system", "content": "S1"}, {"role": "developer", "content": "S2"},
                  {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"},
                  {"role": "user", "content": [{"type": "text", "text": "Again"}]}]}
                """));
        assertEquals("User: Hi\n\nAssistant: Hello!\n\nUser: Again\n\nAssistant:", input.path("prompt").asText());
        assertEquals("S1\n\nS2", input.path("system_prompt").asText());
        assertFalse(input.has("max_tokens"));
        assertFalse(input.has("stop_sequences"));
    }

    @Test
    void preferWaitStaysWithinTheTotalTimeout() {
        UpstreamCall call = call(new Setup(BASE, "meta/llama", new TimeoutsConfig(1_000, 10_000, 20_000), null,
                null), CHAT);
        http.answer(201, prediction("succeeded", "\"output\":\"x\""));
        result(adapter.send(call));
        assertEquals("wait=20", http.request(0).headers().get("prefer"));
    }

    // -------------------------------------------------------------------------------------------- polling

    @Test
    void pollsAnUnfinishedPredictionWithBackoff() {
        UpstreamCall call = call("meta/llama", CHAT);
        http.answer(201, prediction("starting", "\"output\":null"))
                .answer(200, prediction("processing", "\"output\":[\"He\"]"))
                .answer(200, prediction("processing", "\"output\":[\"He\"]"))
                .answer(200, prediction("processing", "\"output\":[\"He\"]"))
                .answer(200, prediction("processing", "\"output\":[\"He\"]"))
                .answer(200, prediction("succeeded", "\"output\":[\"He\",\"llo\"]"));
        UpstreamResponse response = result(adapter.send(call));
        assertEquals(List.of(250L, 500L, 1000L, 2000L, 2000L), http.sleeps);
        assertEquals(6, http.requests.size());
        for (UpstreamRequest poll : http.requests.subList(1, 6)) {
            assertEquals(HttpMethod.GET, poll.method());
            assertEquals(GET_URL, poll.url());
            assertEquals("Bearer r8_test", poll.headers().get("authorization"));
            assertNull(poll.body());
        }
        assertEquals(200, response.status());
        assertEquals("succeeded", parse(response.body()).path("status").asText());
    }

    @Test
    void aFailedPredictionIsA502WithReplicatesError() {
        UpstreamCall call = call("meta/llama", CHAT);
        http.answer(201, prediction("processing", ""))
                .answer(200, prediction("failed", "\"error\":\"CUDA out of memory\""));
        GatewayError error = (GatewayError) failure(adapter.send(call));
        assertEquals(502, error.status());
        assertEquals(GatewayError.UPSTREAM, error.type());
        assertTrue(error.getMessage().contains("CUDA out of memory"), error.getMessage());

        http.answer(201, prediction("canceled", ""));
        GatewayError canceled = (GatewayError) failure(adapter.send(call("meta/llama", CHAT)));
        assertEquals(502, canceled.status());
        assertTrue(canceled.getMessage().contains("canceled"), canceled.getMessage());
    }

    @Test
    void pollingStopsWhenTheCallIsAborted() {
        UpstreamCall call = call("meta/llama", CHAT);
        GatewayError timeout = new GatewayError(Failure.UPSTREAM_TIMEOUT, "total");
        http.onSleep = millis -> call.abort(timeout);
        http.answer(201, prediction("starting", ""));
        assertSame(timeout, failure(adapter.send(call)));
        assertEquals(1, http.requests.size());
    }

    @Test
    void anErrorStatusIsHandedToTheCore() {
        http.answer(201, prediction("processing", ""))
                .answer(429, "{\"title\":\"Too Many Requests\",\"detail\":\"slow down\",\"status\":429}");
        UpstreamResponse response = result(adapter.send(call("meta/llama", CHAT)));
        assertEquals(429, response.status());
        assertFalse(response.ok());
    }

    // --------------------------------------------------------------------------------------------- response

    @Test
    void mapsThePredictionToAChatCompletion() {
        UpstreamCall call = call("meta/llama", CHAT);
        JsonNode out = parse(adapter.response(call, Buffer.buffer(prediction("succeeded",
                "\"output\":[\"The \",\"sky \",\"is blue.\"],\"metrics\":{\"input_token_count\":9,"
                        + "\"output_token_count\":4,\"predict_time\":0.5}"))));
        assertEquals("chat.completion", out.path("object").asText());
        assertEquals("meta/llama", out.path("model").asText());
        assertEquals("The sky is blue.", out.path("choices").path(0).path("message").path("content").asText());
        assertEquals("stop", out.path("choices").path(0).path("finish_reason").asText());
        assertEquals(9, out.path("usage").path("prompt_tokens").asLong());
        assertEquals(4, out.path("usage").path("completion_tokens").asLong());
        assertFalse(call.usage().estimated);
        assertTrue(call.firstTokenNanos() > 0);
    }

    @Test
    void usageIsEstimatedWithoutMetrics() {
        UpstreamCall call = call("meta/llama", CHAT);
        JsonNode out = parse(
                adapter.response(call, Buffer.buffer(prediction("succeeded", "\"output\":\"Hello there\""))));
        assertEquals("Hello there", out.path("choices").path(0).path("message").path("content").asText());
        assertTrue(call.usage().estimated);
        assertEquals(3, out.path("usage").path("completion_tokens").asLong());
    }

    // ----------------------------------------------------------------------------------------------- stream

    @Test
    void aStreamCreatesAStreamingPredictionAndReadsItsStreamUrl() {
        UpstreamCall call = call("meta/llama", """
                {"model": "client-model", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}
                """);
        http.answer(201, prediction("starting", "")).answer(200, "event: output\ndata: x\n\n");
        UpstreamResponse response = result(adapter.send(call));
        UpstreamRequest create = http.request(0);
        assertTrue(parse(create.body()).path("stream").asBoolean());
        assertNull(create.headers().get("prefer"));
        UpstreamRequest stream = http.request(1);
        assertEquals(HttpMethod.GET, stream.method());
        assertEquals(STREAM_URL, stream.url());
        assertEquals("text/event-stream", stream.headers().get("accept"));
        assertNotNull(response.live(), "the live SSE response is piped through the mapper");
        assertTrue(http.sleeps.isEmpty());
    }

    @Test
    void aModelThatCannotStreamIsAClearError() {
        UpstreamCall call = call("meta/llama", """
                {"model": "client-model", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}
                """);
        http.answer(201, "{\"id\":\"p1\",\"status\":\"starting\",\"urls\":{\"get\":\"" + GET_URL + "\"}}");
        GatewayError error = (GatewayError) failure(adapter.send(call));
        assertEquals("upstream_bad_response", error.code());
        assertTrue(error.getMessage().contains("stream URL"));
    }

    @Test
    void mapsOutputEventsAcrossOddChunkBoundaries() {
        String upstream = "event: output\nid: 1\ndata: Hel\n\n"
                + "event: output\ndata: lo wörld\n\n"
                + "event: logs\ndata: loading weights\n\n"
                + "event: output\ndata: \ndata: line 🙂\n\n"
                + ": keep-alive\n\n"
                + "event: done\ndata: {}\n\n";
        for (int size : new int[] { 1, 2, 5, 13, 1000 }) {
            UpstreamCall call = call("meta/llama", """
                    {"model": "client-model", "stream": true, "stream_options": {"include_usage": true},
                     "messages": [{"role": "user", "content": "Hi"}]}
                    """);
            StreamMapper mapper = adapter.stream(call);
            List<JsonNode> events = events(feed(mapper, upstream, size, size + 3));
            assertEquals("assistant", events.get(0).path("choices").path(0).path("delta").path("role").asText());
            assertEquals("Hello wörld\nline 🙂", content(events), "chunk size " + size);
            assertEquals(List.of("stop"), finishReasons(events));
            JsonNode usage = events.get(events.size() - 2).path("usage");
            assertTrue(usage.path("prompt_tokens").asLong() > 0);
            assertTrue(usage.path("completion_tokens").asLong() > 0);
            assertTrue(call.usage().estimated);
            assertEquals("[DONE]", last(events).asText());
            assertTrue(mapper.complete());
        }
    }

    @Test
    void aCanceledPredictionFailsTheStream() {
        UpstreamCall call = call("meta/llama", "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}");
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper,
                "event: output\ndata: Hi\n\nevent: done\ndata: {\"reason\":\"canceled\"}\n\n", 7));
        assertEquals("Hi", content(events));
        assertTrue(last(events).path("error").path("message").asText().contains("canceled"));
        assertFalse(events.stream().anyMatch(event -> "[DONE]".equals(event.asText())));
    }

    @Test
    void anErrorEventFailsTheStream() {
        UpstreamCall call = call("meta/llama", "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}");
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper,
                "event: error\ndata: {\"detail\":\"prediction interrupted\"}\n\nevent: done\ndata: {}\n\n", 3));
        assertEquals(1, events.size());
        assertTrue(events.get(0).path("error").path("message").asText().contains("prediction interrupted"));
        assertTrue(mapper.complete(), "the stream already ends with the upstream's error: no second error event");
    }

    @Test
    void aStreamCutShortIsNotComplete() {
        UpstreamCall call = call("meta/llama", "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}");
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, "event: output\ndata: Hi\n\nevent: output\ndata: the", 4));
        assertEquals("Hithe", content(events));
        assertFalse(mapper.complete());
        assertFalse(events.stream().anyMatch(event -> "[DONE]".equals(event.asText())));
    }

    // ----------------------------------------------------------------------------------------------- errors

    @Test
    void mapsProblemJsonErrors() {
        UpstreamCall call = call("meta/llama", CHAT);
        GatewayError auth = adapter.error(call, UpstreamResponse.read(401, headers(), null), Buffer.buffer(
                "{\"title\":\"Unauthenticated\",\"detail\":\"You did not pass a valid authentication token\","
                        + "\"status\":401}"));
        assertEquals(502, auth.status());
        assertEquals("upstream_auth_failed", auth.code());
        assertTrue(auth.getMessage().contains("You did not pass a valid authentication token"));

        GatewayError invalid = adapter.error(call, UpstreamResponse.read(422, headers(), null), Buffer.buffer(
                "{\"title\":\"Input validation failed\",\"status\":422,\"invalid_fields\":[]}"));
        assertEquals(400, invalid.status());
        assertTrue(invalid.getMessage().contains("Input validation failed"));

        GatewayError limited = adapter.error(call, UpstreamResponse.read(429, headers("retry-after", "7"), null),
                Buffer.buffer("{\"title\":\"Request was throttled\",\"detail\":\"Expected available in 7 seconds.\","
                        + "\"status\":429}"));
        assertEquals(429, limited.status());
        assertEquals(7, limited.retryAfterSeconds());

        GatewayError notFound = adapter.error(call, UpstreamResponse.read(404, headers(), null),
                Buffer.buffer("{\"detail\":\"Not found.\",\"status\":404}"));
        assertEquals("upstream_not_found", notFound.code());
        assertTrue(notFound.getMessage().contains("meta/llama"));
        assertFalse(adapter.supports(Operation.COMPLETIONS) || adapter.supports(Operation.EMBEDDINGS));
    }
}
