package io.visca.gateway.fakes;

import static io.visca.gateway.fakes.Http.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class FakeTgiServerTest {

    private static FakeTgiServer server;

    @BeforeAll
    static void start() {
        server = FakeTgiServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.healthy().breakStreamAfter(0).failStreamWith(0, null, null).requireApiKey(null);
    }

    private static Http.Response generate(String body) {
        return Http.post(server.baseUrl() + "/generate", body, "Content-Type", "application/json");
    }

    @Test
    void reportsHealthAndInfo() {
        Http.Response health = Http.get(server.baseUrl() + "/health");
        assertEquals(200, health.status());
        assertEquals("", health.body());
        JsonNode info = Http.get(server.baseUrl() + "/info").json();
        assertEquals("mistralai/Mistral-7B-Instruct-v0.3", info.path("model_id").asText());
        assertEquals(4096, info.path("max_total_tokens").asInt());
        server.failWith(500, null);
        Http.Response down = Http.get(server.baseUrl() + "/health");
        assertEquals(503, down.status());
        assertEquals("healthcheck", down.json().path("error_type").asText());
    }

    @Test
    void generatesWithDetailsOnlyWhenAsked() {
        Http.Response plain = generate(j("{'inputs':'Say hi please'}"));
        assertEquals(200, plain.status());
        assertEquals("Hello from the fake upstream.", plain.json().path("generated_text").asText());
        assertFalse(plain.json().has("details"));
        assertEquals("3", plain.header("x-prompt-tokens"));
        assertEquals("6", plain.header("x-generated-tokens"), "5 words and </s>");

        JsonNode details = generate(j("{'inputs':'Say hi','parameters':{'details':true,'seed':7}}")).json()
                .path("details");
        assertEquals("eos_token", details.path("finish_reason").asText());
        assertEquals(6, details.path("generated_tokens").asInt());
        assertEquals(7, details.path("seed").asInt());
        assertEquals(0, details.path("prefill").size());
        JsonNode eos = details.path("tokens").get(5);
        assertTrue(eos.path("special").asBoolean());
        assertEquals("</s>", eos.path("text").asText());

        JsonNode prefill = generate(j("{'inputs':'Say hi','parameters':{'decoder_input_details':true}}")).json()
                .path("details").path("prefill");
        assertEquals(2, prefill.size());
        assertTrue(prefill.get(0).path("logprob").isNull());
    }

    @Test
    void stopsAtLengthOrAtAStopSequenceItKeeps() {
        JsonNode cut = generate(j("{'inputs':'x','parameters':{'max_new_tokens':2,'details':true}}")).json();
        assertEquals("Hello from", cut.path("generated_text").asText());
        assertEquals("length", cut.path("details").path("finish_reason").asText());
        JsonNode stopped = generate(j("{'inputs':'x','parameters':{'stop':['fake'],'details':true}}")).json();
        assertEquals("Hello from the fake", stopped.path("generated_text").asText());
        assertEquals("stop_sequence", stopped.path("details").path("finish_reason").asText());
    }

    @Test
    void streamsTokenEventsEndingWithTheText() {
        Http.Streamed s = Http.stream(server.baseUrl() + "/generate_stream",
                j("{'inputs':'Say hi','parameters':{'details':true}}"));
        assertEquals(200, s.status());
        assertTrue(s.header("content-type").startsWith("text/event-stream"));
        assertTrue(s.lines().get(0).startsWith("data:{"), "TGI frames have no space after data:");
        List<JsonNode> events = s.data();
        assertEquals(6, events.size());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            assertEquals(i + 1, e.path("index").asInt());
            if (!e.path("token").path("special").asBoolean()) {
                text.append(e.path("token").path("text").asText());
            }
            if (i < events.size() - 1) {
                assertTrue(e.path("generated_text").isNull());
                assertTrue(e.path("details").isNull());
            }
        }
        JsonNode last = events.get(5);
        assertEquals("Hello from the fake upstream.", text.toString());
        assertEquals("Hello from the fake upstream.", last.path("generated_text").asText());
        assertEquals("eos_token", last.path("details").path("finish_reason").asText());
        assertEquals(6, last.path("details").path("generated_tokens").asInt());
        assertEquals(2, last.path("details").path("input_length").asInt());

        List<JsonNode> plain = Http.stream(server.baseUrl() + "/generate_stream", j("{'inputs':'Say hi'}")).data();
        assertTrue(plain.get(plain.size() - 1).path("details").isNull(), "details only when asked");
    }

    @Test
    void answersValidationErrorsAsTgiDoes() {
        Http.Response empty = generate(j("{'inputs':''}"));
        assertEquals(422, empty.status());
        assertEquals("Input validation error: `inputs` cannot be empty", empty.json().path("error").asText());
        assertEquals("validation", empty.json().path("error_type").asText());
        Http.Response tooLong = generate(j("{'inputs':'x','parameters':{'max_new_tokens':5000}}"));
        assertEquals(422, tooLong.status());
        assertTrue(tooLong.json().path("error").asText().contains("must be <= 4096"));

        Http.Streamed s = Http.stream(server.baseUrl() + "/generate_stream", j("{'inputs':''}"));
        assertEquals(200, s.status());
        assertEquals("validation", s.data().get(0).path("error_type").asText());
    }

    @Test
    void failsWithTgiErrorsAndMidStreamErrors() {
        server.failWith(429, null);
        Http.Response overloaded = generate(j("{'inputs':'x'}"));
        assertEquals(429, overloaded.status());
        assertEquals("Model is overloaded", overloaded.json().path("error").asText());
        assertEquals("overloaded", overloaded.json().path("error_type").asText());
        server.healthy().failStreamWith(2, "generation", "Request failed during generation: Server error: boom");
        List<JsonNode> events = Http.stream(server.baseUrl() + "/generate_stream", j("{'inputs':'x'}")).data();
        assertEquals(3, events.size());
        assertEquals("generation", events.get(2).path("error_type").asText());
    }

    @Test
    void checksAKeyWithABare401() {
        server.requireApiKey("hf_test");
        Http.Response denied = generate(j("{'inputs':'x'}"));
        assertEquals(401, denied.status());
        assertEquals("", denied.body());
        assertEquals(200, Http.post(server.baseUrl() + "/generate", j("{'inputs':'x'}"), "Authorization",
                "Bearer hf_test").status());
        assertEquals(200, Http.get(server.baseUrl() + "/health").status());
    }

    @Test
    void breaksTheStreamOffBeforeTheLastToken() {
        server.breakStreamAfter(2);
        Http.Streamed s = Http.stream(server.baseUrl() + "/generate_stream", j("{'inputs':'x'}"));
        assertEquals(2, s.data().size());
        assertTrue(s.data().stream().allMatch(e -> e.path("generated_text").isNull()));
        assertTrue(s.broken());
    }
}
