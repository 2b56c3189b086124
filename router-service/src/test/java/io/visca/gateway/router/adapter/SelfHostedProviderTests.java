package io.visca.gateway.router.adapter;

import static io.visca.gateway.router.testing.Chats.chat;
import static io.visca.gateway.router.testing.Chats.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeCustomServer;
import io.visca.gateway.fakes.FakeOllamaServer;
import io.visca.gateway.fakes.FakeReplicateServer;
import io.visca.gateway.fakes.FakeTgiServer;
import io.visca.gateway.fakes.RecordedRequest;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.FinishedRequests;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;
import io.visca.gateway.router.usage.FinishedRequest;

/**
 * {@code ollama}, {@code tgi}, {@code replicate} and {@code custom}: each against a fake that speaks that server's
 * own wire format, streaming and errors included; the client sees OpenAI's shapes and usage.
 */
@QuarkusTest
class SelfHostedProviderTests {

    private static final String REPLY = "Red foxes can hear a watch ticking forty yards away.";
    private static FakeOllamaServer ollama;
    private static FakeTgiServer tgi;
    private static FakeReplicateServer replicate;
    private static FakeCustomServer custom;

    @BeforeAll
    static void providers() throws Exception {
        ollama = FakeOllamaServer.start().models("llama3:8b", "nomic-embed-text").reply(REPLY);
        tgi = FakeTgiServer.start().requireApiKey("hf-tgi-token").reply(REPLY);
        replicate = FakeReplicateServer.start().requireApiKey("r8_test").reply(REPLY);
        custom = FakeCustomServer.start().requireBasic("legacy-user", "legacy-pass").reply(REPLY);
        RegistryAdmin.putProvider("""
                {"name": "t-ollama", "type": "ollama", "base_url": "%s", "auth": {"auth_type": "none"},
                 "models": [{"id": "llama3", "upstream_model": "llama3:8b", "context_window": 8192},
                            {"id": "nomic-embed", "upstream_model": "nomic-embed-text", "mode": "embedding"}]}"""
                .formatted(ollama.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "t-tgi", "type": "tgi", "base_url": "%s", "api_key": "hf-tgi-token",
                 "models": [{"id": "mistral-7b", "context_window": 32768,
                             "cost_per_1k_input": 0.00005, "cost_per_1k_output": 0.00005}]}"""
                .formatted(tgi.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "t-replicate", "type": "replicate", "base_url": "%s", "api_key": "r8_test",
                 "models": [{"id": "llama3-replicate", "upstream_model": "meta/meta-llama-3-8b-instruct"}]}"""
                .formatted(replicate.baseUrl()));
        // the example users start from, as written: only its base URL points at the fake
        ObjectNode example = (ObjectNode) json(Files.readString(
                Path.of("..", "examples", "providers", "custom-transform.json")));
        example.put("base_url", custom.baseUrl());
        RegistryAdmin.putProvider(example.toString());
        for (String model : List.of("llama3", "nomic-embed", "mistral-7b", "llama3-replicate", "legacy-13b")) {
            RouterApi.awaitModel(model);
        }
    }

    @AfterEach
    void reset() {
        for (var fake : List.of(ollama, tgi, replicate, custom)) {
            fake.healthy().clearRequests();
        }
        replicate.processingTime(0).failPrediction(null);
    }

    @AfterAll
    static void stop() {
        for (String name : List.of("t-ollama", "t-tgi", "t-replicate", "legacy-completion-api")) {
            RegistryAdmin.deleteProvider(name);
        }
        ollama.close();
        tgi.close();
        replicate.close();
        custom.close();
    }

    private static Response raw(String model, String requestId) {
        return RouterApi.request().header("x-request-id", requestId)
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"tell me\"}]}")
                .post("/v1/chat/completions");
    }

    // --- ollama ---------------------------------------------------------------------------------------------------

    @Test
    void ollamaChatUsesTheNativeApiAndItsTokenCounts() {
        ChatCompletion completion = RouterApi.sdk().chat().completions().create(chat("llama3").build());

        assertEquals(REPLY, completion.choices().get(0).message().content().orElseThrow());
        assertEquals(10, completion.usage().orElseThrow().completionTokens(), "eval_count");
        RecordedRequest sent = ollama.requests().get(0);
        assertEquals("/api/chat", sent.path());
        assertEquals("llama3:8b", json(sent.body()).path("model").asText());
        assertFalse(json(sent.body()).path("stream").asBoolean(true), "stream set explicitly");
    }

    @Test
    void ollamaNdjsonStreamBecomesSse() {
        Chats.Streamed streamed = Chats.stream(chat("llama3"));

        assertEquals(REPLY, streamed.content());
        assertEquals("stop", streamed.finishReason());
        assertEquals(10, streamed.usage().completionTokens());
    }

    @Test
    void ollamaEmbeddings() {
        CreateEmbeddingResponse embeddings = RouterApi.sdk().embeddings().create(
                EmbeddingCreateParams.builder().model("nomic-embed").input("the quick fox").build());

        assertEquals(1, embeddings.data().size());
        assertFalse(embeddings.data().get(0).embedding().isEmpty());
        assertEquals("/api/embed", ollama.requests().get(0).path());
    }

    @Test
    void ollamaMissingModelIsAnUpstreamError() {
        ollama.models("something-else");
        try {
            Response response = raw("llama3", "req-ollama-404");
            assertEquals(502, response.statusCode());
            assertEquals("upstream_not_found", json(response.asString()).path("error").path("code").asText());
        } finally {
            ollama.models("llama3:8b", "nomic-embed-text");
        }
    }

    // --- tgi ------------------------------------------------------------------------------------------------------

    @Test
    void tgiGenerateWithItsTokenCounts() {
        Response response = raw("mistral-7b", "req-tgi-1");

        assertEquals(200, response.statusCode());
        JsonNode body = json(response.asString());
        assertEquals(REPLY, body.path("choices").path(0).path("message").path("content").asText());
        assertEquals("chat.completion", body.path("object").asText());
        RecordedRequest sent = tgi.requests().get(0);
        assertEquals("/generate", sent.path());
        assertEquals("Bearer hf-tgi-token", sent.header("authorization"));
        assertTrue(json(sent.body()).path("inputs").asText().contains("tell me"));
        FinishedRequest record = FinishedRequests.get("req-tgi-1");
        assertEquals(body.path("usage").path("completion_tokens").asLong(), record.completionTokens());
        assertTrue(record.completionTokens() >= 10);
        assertTrue(record.cost().total().signum() > 0);
    }

    @Test
    void tgiStreamWithEstimatedPrompt() {
        Chats.Streamed streamed = Chats.stream(chat("mistral-7b"));

        assertEquals(REPLY, streamed.content());
        assertTrue(streamed.usage().completionTokens() >= 10);
        assertTrue(streamed.usage().promptTokens() > 0, "estimated: TGI streams report no prompt size");
        assertEquals("/generate_stream", tgi.requests().get(0).path());
    }

    @Test
    void tgiValidationErrorIsA400() {
        tgi.failWith(422, null);

        Response response = raw("mistral-7b", "req-tgi-422");

        assertEquals(400, response.statusCode());
        assertEquals("invalid_request_error", json(response.asString()).path("error").path("type").asText());
    }

    @Test
    void tgiOverloadedIsAnUpstreamOverload() {
        tgi.failWith(429, null);

        Response response = raw("mistral-7b", "req-tgi-429");

        assertEquals("upstream_overloaded", json(response.asString()).path("error").path("code").asText());
        tgi.healthy();
        RouterApi.waitOutRetryAfter();
    }

    // --- replicate ------------------------------------------------------------------------------------------------

    @Test
    void replicatePredictionAnsweredWithinTheWait() {
        ChatCompletion completion = RouterApi.sdk().chat().completions().create(chat("llama3-replicate").build());

        assertEquals(REPLY, completion.choices().get(0).message().content().orElseThrow());
        RecordedRequest created = replicate.requests().get(0);
        assertEquals("/v1/models/meta/meta-llama-3-8b-instruct/predictions", created.path());
        assertTrue(created.header("prefer").startsWith("wait"));
        assertEquals(10, completion.usage().orElseThrow().completionTokens(), "metrics.output_token_count");
    }

    @Test
    void replicatePredictionOutlastingTheWaitIsPolled() {
        replicate.processingTime(2500); // longer than router.replicate.max-wait in tests (1 s)

        ChatCompletion completion = RouterApi.sdk().chat().completions().create(chat("llama3-replicate").build());

        assertEquals(REPLY, completion.choices().get(0).message().content().orElseThrow());
        assertTrue(replicate.requests().stream().anyMatch(r -> "GET".equals(r.method())
                && r.path().startsWith("/v1/predictions/")), "polled urls.get");
    }

    @Test
    void replicateStreamReadsTheStreamUrl() {
        Chats.Streamed streamed = Chats.stream(chat("llama3-replicate"));

        assertEquals(REPLY, streamed.content());
        assertTrue(streamed.usage().completionTokens() > 0);
        assertTrue(replicate.requests().stream().anyMatch(r -> r.path().startsWith("/v1/stream/")));
    }

    @Test
    void replicateFailedPredictionNamesItsError() {
        replicate.failPrediction("CUDA out of memory");

        Response response = raw("llama3-replicate", "req-replicate-failed");

        assertEquals(502, response.statusCode());
        assertTrue(json(response.asString()).path("error").path("message").asText().contains("CUDA out of memory"));
    }

    // --- custom ---------------------------------------------------------------------------------------------------

    @Test
    void customProviderFromTheExampleAsWritten() {
        ChatCompletion completion = RouterApi.sdk().chat().completions().create(chat("legacy-13b").build());

        assertEquals(REPLY, completion.choices().get(0).message().content().orElseThrow());
        assertEquals(10, completion.usage().orElseThrow().completionTokens(), "meta.output_tokens via jq");
        RecordedRequest sent = custom.requests().get(0);
        assertEquals("/generate", sent.path());
        JsonNode body = json(sent.body());
        assertEquals("Tell me a fact about foxes", body.path("prompt").asText(), "jq: .messages[-1].content");
        assertEquals(100, body.path("max_tokens").asInt(), "jq: .max_tokens // 100");
        assertTrue(sent.header("authorization").startsWith("Basic "), "basic auth from ${LEGACY_USER}");
    }

    @Test
    void customProviderStreamsItsOneAnswer() {
        Chats.Streamed streamed = Chats.stream(chat("legacy-13b"));

        assertEquals(REPLY, streamed.content());
        assertEquals(10, streamed.usage().completionTokens());
    }

    @Test
    void customProviderErrorsNameTheProvider() {
        custom.failWith(503, null);

        Response response = raw("legacy-13b", "req-custom-503");

        assertEquals(502, response.statusCode());
        assertTrue(json(response.asString()).path("error").path("message").asText()
                .contains("legacy-completion-api"));
    }
}
