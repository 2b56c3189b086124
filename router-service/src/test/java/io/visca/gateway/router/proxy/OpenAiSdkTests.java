package io.visca.gateway.router.proxy;

import static io.visca.gateway.router.testing.Chats.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.fakes.RecordedRequest;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.FinishedRequests;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;
import io.visca.gateway.router.usage.FinishedRequest;

/** The router as apps use it: the official OpenAI Java SDK with only its base URL changed. */
@QuarkusTest
class OpenAiSdkTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPLY = "The quick brown fox jumps over the lazy dog.";
    private static FakeOpenAiServer upstream;

    @BeforeAll
    static void provider() {
        upstream = FakeOpenAiServer.start().requireApiKey("sk-from-router-env")
                .models("gpt-4o-mini", "text-embedding-3-small").reply(REPLY);
        // the key is a ${NAME} reference: the router reads it from its own environment when it calls
        RegistryAdmin.putProvider("""
                {"name": "sdk-openai", "type": "openai-compatible", "base_url": "%s",
                 "api_key": "${RT_TEST_UPSTREAM_KEY}", "retry": {"max_retries": 0},
                 "models": [
                   {"id": "gpt-4o-mini", "context_window": 128000, "cost_per_1k_input": 0.15, "cost_per_1k_output": 0.6},
                   {"id": "team-chat", "upstream_model": "gpt-4o-mini", "context_window": 128000},
                   {"id": "text-embedding-3-small", "mode": "embedding", "cost_per_1k_input": 0.02, "cost_per_1k_output": 0}
                 ]}""".formatted(upstream.baseUrl()));
        RouterApi.awaitModel("team-chat");
    }

    @AfterEach
    void healthyAgain() {
        upstream.healthy().delay(0).toolCall(null, null);
        upstream.clearRequests();
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider("sdk-openai");
        upstream.close();
    }

    @Test
    void chatCompletionComesBackThroughTheSdkWithUsage() {
        ChatCompletion completion = RouterApi.sdk().chat().completions().create(chat("gpt-4o-mini").build());

        assertEquals(REPLY, completion.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().get(0).finishReason());
        long prompt = (3 + 3) + (3 + 6);
        assertEquals(prompt, completion.usage().orElseThrow().promptTokens());
        assertEquals(9, completion.usage().orElseThrow().completionTokens());
        RecordedRequest sent = upstream.requests().get(0);
        assertEquals("/v1/chat/completions", sent.path());
        assertEquals("Bearer sk-from-router-env", sent.header("authorization"), "the ${NAME} key, read at call time");
    }

    @Test
    void mappedModelIdIsSentAsItsUpstreamModel() {
        ChatCompletion completion = RouterApi.sdk().chat().completions().create(chat("team-chat").build());

        assertEquals(REPLY, completion.choices().get(0).message().content().orElseThrow());
        assertEquals("gpt-4o-mini", read(upstream.requests().get(0).body()).path("model").asText());
        Response raw = RouterApi.request()
                .body("{\"model\":\"team-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions");
        assertEquals("team-chat", raw.header("x-visca-model"));
        assertEquals("gpt-4o-mini", raw.header("x-visca-upstream-model"));
    }

    @Test
    void responseHeadersNameProviderModelOverheadAndCost() {
        Response response = RouterApi.request().header("x-request-id", "req-from-client-1")
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}")
                .post("/v1/chat/completions");

        assertEquals(200, response.statusCode());
        assertEquals("req-from-client-1", response.header("x-request-id"));
        assertEquals("sdk-openai", response.header("x-visca-provider"));
        assertEquals("gpt-4o-mini", response.header("x-visca-model"));
        assertEquals("1", response.header("x-visca-attempts"));
        assertNotNull(response.header("x-visca-endpoint"));
        double overhead = Double.parseDouble(response.header("x-visca-overhead-ms"));
        assertTrue(overhead >= 0, "overhead " + overhead);
        // 6 prompt tokens at 0.15 per 1k and 9 completion tokens at 0.6 per 1k, exactly
        BigDecimal expected = new BigDecimal("0.15").multiply(BigDecimal.valueOf(6)).divide(BigDecimal.valueOf(1000))
                .add(new BigDecimal("0.6").multiply(BigDecimal.valueOf(9)).divide(BigDecimal.valueOf(1000)));
        assertEquals(0, expected.compareTo(new BigDecimal(response.header("x-visca-cost-usd"))),
                response.header("x-visca-cost-usd"));
        FinishedRequest record = FinishedRequests.get("req-from-client-1");
        assertEquals(FinishedRequest.SUCCESS, record.status());
        assertEquals(6, record.promptTokens());
        assertEquals(9, record.completionTokens());
        assertFalse(record.tokensEstimated());
        assertEquals(0, expected.compareTo(record.cost().total()));
    }

    @Test
    void requestIdIsMadeWhenTheClientSendsNone() {
        Response response = RouterApi.request()
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions");

        assertTrue(response.header("x-request-id").startsWith("req_"), response.header("x-request-id"));
        assertEquals(response.header("x-request-id"), upstream.requests().get(0).header("x-request-id"));
    }

    @Test
    void streamingWithUsageArrivesChunkByChunk() {
        List<String> pieces = new ArrayList<>();
        List<ChatCompletionChunk> usageChunks = new ArrayList<>();
        ChatCompletionCreateParams params = chat("gpt-4o-mini")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> stream = RouterApi.sdk().chat().completions()
                .createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(pieces::add));
                if (chunk.usage().isPresent()) {
                    usageChunks.add(chunk);
                }
            });
        }

        assertEquals(REPLY, String.join("", pieces));
        assertTrue(pieces.size() > 5, "one chunk per word, got " + pieces.size());
        assertEquals(1, usageChunks.size());
        assertEquals(9, usageChunks.get(0).usage().orElseThrow().completionTokens());
    }

    @Test
    void streamWithoutIncludeUsageStillRecordsUsageButHidesTheChunk() {
        Response response = RouterApi.request().header("x-request-id", "req-stream-no-usage")
                .body("{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"one two\"}]}")
                .post("/v1/chat/completions");

        assertEquals(200, response.statusCode());
        assertTrue(response.contentType().startsWith("text/event-stream"));
        String body = response.asString();
        assertFalse(body.contains("\"usage\":{"), "the client did not ask for usage: " + body);
        assertTrue(body.trim().endsWith("data: [DONE]"), body);
        assertTrue(read(upstream.requests().get(0).body()).path("stream_options").path("include_usage").asBoolean(),
                "the router asks the upstream for usage");
        FinishedRequest record = FinishedRequests.get("req-stream-no-usage");
        assertEquals(5, record.promptTokens());
        assertEquals(9, record.completionTokens());
        assertFalse(record.tokensEstimated());
        assertNotNull(record.timeToFirstTokenMs());
    }

    @Test
    void toolCallsComeBackAsTheSdkExpects() {
        upstream.toolCall("get_weather", "{\"city\":\"Paris\"}");
        ChatCompletion completion = RouterApi.sdk().chat().completions()
                .create(chat("gpt-4o-mini").addTool(Chats.weatherTool()).build());

        ChatCompletionMessageFunctionToolCall call = completion.choices().get(0).message().toolCalls().orElseThrow()
                .get(0).asFunction();
        assertEquals("get_weather", call.function().name());
        assertEquals("Paris", read(call.function().arguments()).path("city").asText());
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, completion.choices().get(0).finishReason());
        assertEquals("get_weather", read(upstream.requests().get(0).body()).path("tools").path(0).path("function")
                .path("name").asText());
    }

    @Test
    void unknownFieldsAndOptionsReachTheUpstreamUnchanged() {
        String body = "{\"model\":\"gpt-4o-mini\",\"n\":2,\"stop\":[\"END\"],\"response_format\":{\"type\":"
                + "\"json_object\"},\"vendor_extension\":{\"beam\":4},\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"hi\"}]}";

        RouterApi.request().body(body).post("/v1/chat/completions").then().statusCode(200);

        assertEquals(body, upstream.requests().get(0).body(), "forwarded byte for byte");
    }

    @Test
    void textCompletionsThroughTheSdk() {
        Completion completion = RouterApi.sdk().completions()
                .create(CompletionCreateParams.builder().model("gpt-4o-mini").prompt("Once upon a time").build());

        assertEquals(REPLY, completion.choices().get(0).text());
        assertEquals(4, completion.usage().orElseThrow().promptTokens());
        assertEquals("/v1/completions", upstream.requests().get(0).path());
    }

    @Test
    void embeddingsThroughTheSdk() {
        CreateEmbeddingResponse embeddings = RouterApi.sdk().embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").inputOfArrayOfStrings(List.of("alpha beta", "gamma")).build());

        assertEquals(2, embeddings.data().size());
        assertFalse(embeddings.data().get(0).embedding().isEmpty());
        assertEquals(3, embeddings.usage().promptTokens());
        assertEquals("/v1/embeddings", upstream.requests().get(0).path());
    }

    @Test
    void modelsListEveryModelWithItsProviderAndContextWindow() {
        OpenAIClient sdk = RouterApi.sdk();
        List<String> ids = sdk.models().list().data().stream().map(Model::id).toList();
        assertTrue(ids.containsAll(List.of("gpt-4o-mini", "team-chat", "text-embedding-3-small")), ids.toString());

        Model model = sdk.models().retrieve(com.openai.models.models.ModelRetrieveParams.builder().model("team-chat")
                .build());
        assertEquals("sdk-openai", model.ownedBy());
        JsonNode raw = read(RouterApi.request().get("/v1/models/team-chat").asString());
        assertEquals(128000, raw.path("context_window").asInt());
        assertEquals("sdk-openai", raw.path("providers").path(0).asText());
    }

    @Test
    void missingOrWrongKeyIs401() {
        UnauthorizedException wrong = assertThrows(UnauthorizedException.class,
                () -> RouterApi.sdk("vsk_not-a-real-key").chat().completions().create(chat("gpt-4o-mini").build()));
        assertEquals("authentication_error", wrong.type().orElseThrow());

        Response none = io.restassured.RestAssured.given().baseUri(RouterApi.baseUrl()).contentType("application/json")
                .body("{}").post("/v1/chat/completions");
        assertEquals(401, none.statusCode());
        assertEquals("invalid_api_key", read(none.asString()).path("error").path("code").asText());
        assertThrows(UnauthorizedException.class, () -> RouterApi.sdk("wrong").models().list());
    }

    @Test
    void unknownModelIs404ModelNotFound() {
        NotFoundException missing = assertThrows(NotFoundException.class,
                () -> RouterApi.sdk().chat().completions().create(chat("no-such-model").build()));
        assertEquals("model_not_found", missing.code().orElseThrow());
        assertEquals("model", missing.param().orElseThrow());
        assertThrows(NotFoundException.class, () -> RouterApi.sdk().models()
                .retrieve(com.openai.models.models.ModelRetrieveParams.builder().model("no-such-model").build()));
    }

    @Test
    void malformedJsonAndMissingFieldsAre400InOpenAiShape() {
        JsonNode malformed = read(RouterApi.request().body("{\"model\": \"gpt-4o-mini\", \"messages\": [")
                .post("/v1/chat/completions").then().statusCode(400).extract().asString());
        assertEquals("invalid_request_error", malformed.path("error").path("type").asText());
        assertTrue(malformed.path("error").path("message").asText().contains("line 1"), malformed.toString());
        assertFalse(malformed.toString().contains("at com."), "no stack trace");

        JsonNode noMessages = read(RouterApi.request().body("{\"model\":\"gpt-4o-mini\"}").post("/v1/chat/completions")
                .then().statusCode(400).extract().asString());
        assertEquals("messages", noMessages.path("error").path("param").asText());

        JsonNode noModel = read(RouterApi.request().body("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions").then().statusCode(400).extract().asString());
        assertEquals("model", noModel.path("error").path("param").asText());

        read(RouterApi.request().body("[1,2]").post("/v1/embeddings").then().statusCode(400).extract().asString());
        BadRequestException badType = assertThrows(BadRequestException.class, () -> RouterApi.sdk().chat()
                .completions().create(chat("gpt-4o-mini").putAdditionalBodyProperty("stream", JsonValue.from("yes"))
                        .build()));
        assertEquals("stream", badType.param().orElseThrow());
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "x".repeat(300_000);
        OpenAIServiceException tooLarge = assertThrows(OpenAIServiceException.class, () -> RouterApi.sdk().chat()
                .completions().create(ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage(big)
                        .build()));
        assertEquals(413, tooLarge.statusCode());
        assertEquals("request_too_large", tooLarge.code().orElseThrow());

        Response response = RouterApi.request()
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}")
                .post("/v1/chat/completions");
        assertEquals(413, response.statusCode());
        assertEquals("invalid_request_error", read(response.asString()).path("error").path("type").asText());
        assertTrue(upstream.requests().isEmpty());
    }

    @Test
    void upstreamRateLimitIs429WithRetryAfter() {
        upstream.failWith(429, null);

        RateLimitException limited = assertThrows(RateLimitException.class,
                () -> RouterApi.sdk().chat().completions().create(chat("gpt-4o-mini").build()));
        assertEquals(429, limited.statusCode());
        assertTrue(limited.headers().values("retry-after").size() == 1, "Retry-After is sent");
        upstream.healthy();
        RouterApi.waitOutRetryAfter();
    }

    @Test
    void upstreamFailureIs502NamingProviderAndStatus() {
        upstream.failWith(500, null);

        OpenAIServiceException failed = assertThrows(InternalServerException.class,
                () -> RouterApi.sdk().chat().completions().create(chat("gpt-4o-mini").build()));
        assertEquals(502, failed.statusCode());
        assertEquals("upstream_http_500", failed.code().orElseThrow());
        JsonNode raw = read(RouterApi.request()
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions").then().statusCode(502).extract().asString());
        String message = raw.path("error").path("message").asText();
        assertTrue(message.contains("sdk-openai") && message.contains("HTTP 500"), message);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
