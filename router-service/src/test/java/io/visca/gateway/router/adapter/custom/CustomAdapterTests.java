package io.visca.gateway.router.adapter.custom;

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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.contracts.provider.CustomRequestConfig;
import io.visca.gateway.contracts.provider.TransformConfig;
import io.visca.gateway.router.adapter.AdapterCallKit;
import io.visca.gateway.router.adapter.AdapterCallKit.FakeHttp;
import io.visca.gateway.router.adapter.AdapterCallKit.Setup;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.auth.ProviderSecrets;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamRequest;

/** {@link CustomAdapter}: jq request and response transforms, one-shot streams and errors, without Quarkus. */
class CustomAdapterTests {

    private static final String BASE = "https://models.internal.example.com";
    /** The programs of {@code shared/examples/custom-transform.json}, exactly as written there. */
    private static final TransformConfig EXAMPLE = new TransformConfig("jq",
            "{prompt: .messages[-1].content, max_tokens: (.max_tokens // 100), temperature: (.temperature // 0.7)}",
            "{content: .output.text, prompt_tokens: .meta.input_tokens, completion_tokens: .meta.output_tokens, "
                    + "finish_reason: (.output.stop_reason // \"stop\")}");
    private static final CustomRequestConfig EXAMPLE_REQUEST = new CustomRequestConfig("POST", "/generate", null);
    private static final String CHAT = """
            {"model": "legacy-13b", "messages": [{"role": "system", "content": "Be brief."},
              {"role": "user", "content": "Say hi"}]}
            """;
    private static final String ANSWER = """
            {"output": {"text": "Hi!", "stop_reason": "max_tokens"}, "meta": {"input_tokens": 3, "output_tokens": 2}}
            """;

    private final CustomAdapter adapter = new CustomAdapter(
            new ProviderSecrets(new SecretResolver(System::getenv)));
    private final FakeHttp http = new FakeHttp();

    private UpstreamCall call(String request) {
        return call(EXAMPLE_REQUEST, EXAMPLE, "legacy-13b", request);
    }

    private UpstreamCall call(CustomRequestConfig customRequest, TransformConfig transform, String upstreamModel,
            String request) {
        return AdapterCallKit.call(adapter, new Setup(BASE, upstreamModel, null, customRequest, transform),
                Operation.CHAT, request, headers("authorization", "Basic bGVnYWN5OnBhc3M="), http);
    }

    private static TransformConfig transform(String request, String response) {
        return new TransformConfig("jq", request, response);
    }

    // ---------------------------------------------------------------------------------------------- prepare

    @Test
    void compilesBothProgramsOnce() {
        Setup setup = new Setup(BASE, "m", null, EXAMPLE_REQUEST, EXAMPLE);
        Object prepared = adapter.prepare(setup.provider("custom"));
        assertTrue(prepared instanceof CustomAdapter.Prepared);
        CustomAdapter.Prepared programs = (CustomAdapter.Prepared) prepared;
        assertEquals(HttpMethod.POST, programs.method());
        assertEquals("/generate", programs.path());
    }

    @Test
    void rejectsConfigsItCannotServe() {
        IllegalArgumentException badRequest = assertThrows(IllegalArgumentException.class, () -> adapter.prepare(
                new Setup(BASE, "m", null, EXAMPLE_REQUEST, transform("{prompt: ", ".")).provider("custom")));
        assertTrue(badRequest.getMessage().startsWith("transform.request is not a valid jq program"),
                badRequest.getMessage());
        IllegalArgumentException badResponse = assertThrows(IllegalArgumentException.class, () -> adapter.prepare(
                new Setup(BASE, "m", null, EXAMPLE_REQUEST, transform(".", "{content: .a | }")).provider("custom")));
        assertTrue(badResponse.getMessage().startsWith("transform.response is not a valid jq program"),
                badResponse.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> adapter.prepare(new Setup(BASE, "m", null, EXAMPLE_REQUEST, null).provider("custom")));
        assertThrows(IllegalArgumentException.class,
                () -> adapter.prepare(new Setup(BASE, "m", null, null, EXAMPLE).provider("custom")));
        assertThrows(IllegalArgumentException.class, () -> adapter.prepare(new Setup(BASE, "m", null,
                EXAMPLE_REQUEST, new TransformConfig("jsonata", ".", ".")).provider("custom")));
    }

    // ---------------------------------------------------------------------------------------------- request

    @Test
    void theExampleConfigMapsTheRequestAsWritten() {
        http.answer(200, ANSWER);
        result(adapter.send(call(CHAT)));
        UpstreamRequest request = http.request(0);
        assertEquals(HttpMethod.POST, request.method());
        assertEquals(BASE + "/generate", request.url());
        assertEquals("Basic bGVnYWN5OnBhc3M=", request.headers().get("authorization"));
        assertEquals("application/json", request.headers().get("content-type"));
        assertEquals(json("{\"prompt\": \"Say hi\", \"max_tokens\": 100, \"temperature\": 0.7}"),
                parse(request.body()));

        http.answer(200, ANSWER);
        result(adapter.send(call("""
                {"model": "legacy-13b", "max_tokens": 5, "temperature": 0,
                 "messages": [{"role": "user", "content": "Hello"}]}
                """)));
        assertEquals(json("{\"prompt\": \"Hello\", \"max_tokens\": 5, \"temperature\": 0}"),
                parse(http.request(1).body()));
    }

    @Test
    void usesTheConfiguredMethodPathHeadersAndUpstreamModel() {
        CustomRequestConfig request = new CustomRequestConfig("put", "v2/run?async=false",
                Map.of("X-Api-Version", "2", "Content-Type", "application/vnd.legacy+json"));
        http.answer(200, "{\"text\": \"ok\"}");
        result(adapter.send(call(request, transform("{model: .model, q: .messages[0].content}", "{content: .text}"),
                "legacy-v2", CHAT)));
        UpstreamRequest sent = http.request(0);
        assertEquals(HttpMethod.PUT, sent.method());
        assertEquals(BASE + "/v2/run?async=false", sent.url());
        assertEquals("2", sent.headers().get("x-api-version"));
        assertEquals("application/vnd.legacy+json", sent.headers().get("content-type"));
        assertEquals(json("{\"model\": \"legacy-v2\", \"q\": \"Be brief.\"}"), parse(sent.body()));
    }

    @Test
    void aGetRequestHasNoBody() {
        http.answer(200, "{\"text\": \"ok\"}");
        result(adapter.send(call(new CustomRequestConfig("GET", "/ping", null), transform(null, "{content: .text}"),
                "m", CHAT)));
        assertEquals(HttpMethod.GET, http.request(0).method());
        assertNull(http.request(0).body());
        assertNull(http.request(0).headers().get("content-type"));
    }

    @Test
    void anUnsetSecretInAHeaderIsAClearError() {
        CustomRequestConfig request = new CustomRequestConfig("POST", "/generate",
                Map.of("X-Api-Key", "${CUSTOM_ADAPTER_TESTS_UNSET_KEY}"));
        GatewayError error = (GatewayError) failure(adapter.send(call(request, EXAMPLE, "m", CHAT)));
        assertEquals("provider_misconfigured", error.code());
        assertTrue(error.getMessage().contains("request.headers.X-Api-Key"), error.getMessage());
        assertTrue(http.requests.isEmpty());
    }

    @Test
    void aFailingRequestTransformIsA502NamingIt() {
        GatewayError error = (GatewayError) failure(adapter.send(call(EXAMPLE_REQUEST,
                transform("{prompt: (.messages[-1].content + 1)}", "{content: .text}"), "m", CHAT)));
        assertEquals(502, error.status());
        assertEquals("transform_failed", error.code());
        assertTrue(error.getMessage().contains("jq request transform failed"), error.getMessage());
        assertFalse(error.getMessage().contains("Say hi"), "the payload stays out of the message");

        GatewayError notObject = (GatewayError) failure(adapter.send(call(EXAMPLE_REQUEST,
                transform(".messages[-1].content", "{content: .text}"), "m", CHAT)));
        assertTrue(notObject.getMessage().contains("jq request transform did not produce an object"),
                notObject.getMessage());
        assertTrue(http.requests.isEmpty());
    }

    // --------------------------------------------------------------------------------------------- response

    @Test
    void theExampleConfigMapsTheResponseAsWritten() {
        UpstreamCall call = call(CHAT);
        JsonNode out = parse(adapter.response(call, Buffer.buffer(ANSWER)));
        assertEquals("chat.completion", out.path("object").asText());
        assertEquals("legacy-13b", out.path("model").asText());
        assertEquals("Hi!", out.path("choices").path(0).path("message").path("content").asText());
        assertEquals("length", out.path("choices").path(0).path("finish_reason").asText(), "max_tokens → length");
        assertEquals(3, out.path("usage").path("prompt_tokens").asLong());
        assertEquals(2, out.path("usage").path("completion_tokens").asLong());
        assertEquals(5, out.path("usage").path("total_tokens").asLong());
        assertFalse(call.usage().estimated);
        assertTrue(call.firstTokenNanos() > 0);
    }

    @Test
    void missingTokenCountsAreEstimatedAndAMissingFinishReasonIsStop() {
        UpstreamCall call = call(CHAT);
        JsonNode out = parse(adapter.response(call, Buffer.buffer("{\"output\": {\"text\": \"Hello there\"}}")));
        assertEquals("stop", out.path("choices").path(0).path("finish_reason").asText());
        assertTrue(call.usage().estimated);
        assertTrue(out.path("usage").path("prompt_tokens").asLong() > 0);
        assertEquals(3, out.path("usage").path("completion_tokens").asLong());
    }

    @Test
    void aFailingResponseTransformIsA502NamingIt() {
        UpstreamCall call = call(EXAMPLE_REQUEST, transform(".", "{content: (.output.text + 1)}"), "m", CHAT);
        GatewayError error = assertThrows(GatewayError.class,
                () -> adapter.response(call, Buffer.buffer("{\"output\": {\"text\": \"secret answer\"}}")));
        assertEquals(502, error.status());
        assertEquals("transform_failed", error.code());
        assertTrue(error.getMessage().contains("jq response transform failed"), error.getMessage());
        assertFalse(error.getMessage().contains("secret answer"), "the payload stays out of the message");

        UpstreamCall notObject = call(EXAMPLE_REQUEST, transform(".", ".output.text"), "m", CHAT);
        GatewayError string = assertThrows(GatewayError.class,
                () -> adapter.response(notObject, Buffer.buffer("{\"output\": {\"text\": \"secret answer\"}}")));
        assertTrue(string.getMessage().contains("jq response transform did not produce an object"),
                string.getMessage());
        assertFalse(string.getMessage().contains("secret answer"));

        GatewayError noContent = assertThrows(GatewayError.class,
                () -> adapter.response(call(CHAT), Buffer.buffer("{\"status\": \"error\"}")));
        assertTrue(noContent.getMessage().contains("no string content"), noContent.getMessage());

        GatewayError notJson = assertThrows(GatewayError.class,
                () -> adapter.response(call(CHAT), Buffer.buffer("OK: Hi!")));
        assertEquals("upstream_bad_response", notJson.code());
    }

    // ----------------------------------------------------------------------------------------------- stream

    @Test
    void aStreamingRequestIsServedFromOneUpstreamAnswer() {
        UpstreamCall call = call("""
                {"model": "legacy-13b", "stream": true, "stream_options": {"include_usage": true},
                 "messages": [{"role": "user", "content": "Say hi"}]}
                """);
        http.answer(200, "{\"output\": {\"text\": \"Hi there, wörld 🙂\", \"stop_reason\": \"eos\"}, "
                + "\"meta\": {\"input_tokens\": 3, \"output_tokens\": 6}}");
        UpstreamResponse response = result(adapter.send(call));
        UpstreamRequest sent = http.request(0);
        assertEquals(json("{\"prompt\": \"Say hi\", \"max_tokens\": 100, \"temperature\": 0.7}"),
                parse(sent.body()), "the upstream is not asked to stream");
        assertEquals("application/json", sent.headers().get("accept"));
        assertNull(response.live(), "an already-read body, fed to the stream mapper by the core");
        assertEquals(200, response.status());

        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, response.body().toString(), 3, 5));
        assertEquals("assistant", events.get(0).path("choices").path(0).path("delta").path("role").asText());
        assertEquals("Hi there, wörld 🙂", content(events));
        assertEquals(List.of("stop"), finishReasons(events));
        JsonNode usage = events.get(events.size() - 2).path("usage");
        assertEquals(3, usage.path("prompt_tokens").asLong());
        assertEquals(6, usage.path("completion_tokens").asLong());
        assertEquals("[DONE]", last(events).asText());
        assertTrue(mapper.complete());
        assertFalse(call.usage().estimated);
        assertTrue(call.firstTokenNanos() > 0);
    }

    @Test
    void aStreamWithoutUsageAskedSendsNoUsageChunk() {
        UpstreamCall call = call("""
                {"model": "legacy-13b", "stream": true, "messages": [{"role": "user", "content": "Say hi"}]}
                """);
        http.answer(200, "{\"output\": {\"text\": \"Hi\"}}");
        UpstreamResponse response = result(adapter.send(call));
        StreamMapper mapper = adapter.stream(call);
        List<JsonNode> events = events(feed(mapper, response.body().toString(), 1));
        assertFalse(events.stream().anyMatch(event -> event.has("usage")));
        assertEquals("Hi", content(events));
        assertEquals("[DONE]", last(events).asText());
        assertTrue(call.usage().estimated);
    }

    @Test
    void aFailingResponseTransformFailsAStreamBeforeItStarts() {
        UpstreamCall call = call(EXAMPLE_REQUEST, transform(".", "{content: (.output.text + 1)}"), "m", """
                {"model": "m", "stream": true, "messages": [{"role": "user", "content": "Say hi"}]}
                """);
        http.answer(200, "{\"output\": {\"text\": \"Hi\"}}");
        GatewayError error = (GatewayError) failure(adapter.send(call));
        assertEquals(502, error.status());
        assertTrue(error.getMessage().contains("jq response transform failed"));
    }

    @Test
    void aStreamWhoseBodyIsIncompleteIsNotComplete() {
        UpstreamCall call = call("""
                {"model": "m", "stream": true, "messages": [{"role": "user", "content": "a"}]}
                """);
        StreamMapper mapper = adapter.stream(call);
        assertEquals(0, feed(mapper, "{\"content\": \"Hi", 4).length());
        assertFalse(mapper.complete());
    }

    // ----------------------------------------------------------------------------------------------- errors

    @Test
    void mapsErrorMessagesFromCommonFields() {
        UpstreamCall call = call(CHAT);
        GatewayError crashed = adapter.error(call, UpstreamResponse.read(500, headers(), null),
                Buffer.buffer("{\"message\": \"model crashed\"}"));
        assertEquals(502, crashed.status());
        assertEquals("upstream_http_500", crashed.code());
        assertTrue(crashed.retryable());
        assertTrue(crashed.getMessage().contains("model crashed"));

        GatewayError rejected = adapter.error(call, UpstreamResponse.read(400, headers(), null),
                Buffer.buffer("{\"error\": \"prompt too long\"}"));
        assertEquals(400, rejected.status());
        assertTrue(rejected.getMessage().contains("prompt too long"));

        GatewayError nested = adapter.error(call, UpstreamResponse.read(503, headers(), null),
                Buffer.buffer("{\"error\": {\"message\": \"warming up\"}}"));
        assertTrue(nested.getMessage().contains("warming up"));

        GatewayError detail = adapter.error(call, UpstreamResponse.read(401, headers(), null),
                Buffer.buffer("{\"detail\": \"bad credentials\"}"));
        assertEquals("upstream_auth_failed", detail.code());
        assertTrue(detail.getMessage().contains("bad credentials"));

        GatewayError text = adapter.error(call, UpstreamResponse.read(502, headers(), null),
                Buffer.buffer("<html>proxy error: Say hi</html>"));
        assertFalse(text.getMessage().contains("Say hi"), "a body that is not JSON is not quoted");
        assertFalse(adapter.supports(Operation.COMPLETIONS) || adapter.supports(Operation.EMBEDDINGS));
    }
}
