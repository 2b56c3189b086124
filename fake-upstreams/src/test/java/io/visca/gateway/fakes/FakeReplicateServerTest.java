package io.visca.gateway.fakes;

import static io.visca.gateway.fakes.Http.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class FakeReplicateServerTest {

    private static final String AUTH = "Bearer r8_test";
    private static final String BODY = j("{'input':{'prompt':'Say hi','system_prompt':'Be brief.','max_tokens':64}}");
    private static FakeReplicateServer server;

    @BeforeAll
    static void start() {
        server = FakeReplicateServer.start().requireApiKey("r8_test");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.healthy().processingTime(0).failPrediction(null).breakStreamAfter(0);
    }

    private static String modelUrl() {
        return server.baseUrl() + "/models/meta/meta-llama-3-8b-instruct/predictions";
    }

    private static String text(JsonNode output) {
        StringBuilder out = new StringBuilder();
        output.forEach(t -> out.append(t.asText()));
        return out.toString();
    }

    @Test
    void baseUrlHasTheV1Prefix() {
        assertEquals("http://127.0.0.1:" + server.port() + "/v1", server.baseUrl());
    }

    @Test
    void waitsForAQuickPredictionWithPreferWait() {
        server.processingTime(100);
        Http.Response res = Http.post(modelUrl(), BODY, "Authorization", AUTH, "Prefer", "wait");
        assertEquals(201, res.status());
        JsonNode p = res.json();
        assertEquals("succeeded", p.path("status").asText());
        assertTrue(p.path("output").isArray());
        assertEquals("Hello from the fake upstream.", text(p.path("output")));
        assertEquals(5, p.path("output").size());
        assertEquals(4, p.path("metrics").path("input_token_count").asLong());
        assertEquals(5, p.path("metrics").path("output_token_count").asLong());
        assertTrue(p.path("metrics").has("predict_time"));
        assertTrue(p.path("metrics").has("total_time"));
        assertFalse(p.path("completed_at").isNull());
        assertEquals(p.path("urls").path("get").asText(), res.header("location"));
    }

    @Test
    void isPolledUntilItSucceeds() throws InterruptedException {
        server.processingTime(600);
        Http.Response created = Http.post(modelUrl(), BODY, "Authorization", AUTH);
        assertEquals(201, created.status());
        assertEquals("starting", created.json().path("status").asText());
        assertTrue(created.json().path("output").isNull());
        String get = created.json().path("urls").path("get").asText();
        assertTrue(get.startsWith(server.baseUrl() + "/predictions/"));
        assertNotNull(created.json().path("urls").path("cancel").asText(null));
        Set<String> seen = new HashSet<>();
        JsonNode p = created.json();
        for (int i = 0; i < 100 && !p.path("status").asText().equals("succeeded"); i++) {
            Thread.sleep(50);
            p = Http.get(get, "Authorization", AUTH).json();
            seen.add(p.path("status").asText());
        }
        assertTrue(seen.contains("processing"), seen.toString());
        assertEquals("succeeded", p.path("status").asText());
        assertEquals("Hello from the fake upstream.", text(p.path("output")));
    }

    @Test
    void returnsAProcessingPredictionWhenTheWaitRunsOut() {
        server.processingTime(1_600);
        long start = System.currentTimeMillis();
        JsonNode p = Http.post(modelUrl(), BODY, "Authorization", AUTH, "Prefer", "wait=1").json();
        assertTrue(System.currentTimeMillis() - start >= 900);
        assertEquals("processing", p.path("status").asText());
        JsonNode canceled = Http.post(p.path("urls").path("cancel").asText(), "", "Authorization", AUTH).json();
        assertEquals("canceled", canceled.path("status").asText());
    }

    @Test
    void streamsOutputEventsThenDone() {
        server.processingTime(200);
        JsonNode p = Http.post(modelUrl(), j("{'input':{'prompt':'Say hi'},'stream':true}"), "Authorization", AUTH)
                .json();
        Http.Streamed s = Http.stream(p.path("urls").path("stream").asText(), null, "Accept", "text/event-stream");
        assertEquals(200, s.status());
        assertTrue(s.header("content-type").startsWith("text/event-stream"));
        List<String> events = s.values("event: ");
        assertEquals(List.of("output", "output", "output", "output", "output", "done"), events);
        assertEquals(6, s.values("id: ").size());
        List<String> data = s.values("data: ");
        assertEquals("Hello from the fake upstream.", String.join("", data.subList(0, 5)));
        assertEquals("{}", data.get(5));
    }

    @Test
    void failsAPredictionWithItsError() {
        server.failPrediction("CUDA out of memory");
        JsonNode p = Http.post(server.baseUrl() + "/predictions",
                j("{'version':'meta/meta-llama-3-8b-instruct:" + FakeReplicateServer.VERSION + "',"
                        + "'input':{'prompt':'x'}}"),
                "Authorization", AUTH, "Prefer", "wait").json();
        assertEquals("failed", p.path("status").asText());
        assertEquals("CUDA out of memory", p.path("error").asText());
        Http.Streamed s = Http.stream(p.path("urls").path("stream").asText(), null);
        assertEquals(List.of("error", "done"), s.values("event: "));
        assertEquals("CUDA out of memory", Http.json(s.values("data: ").get(0)).path("detail").asText());
    }

    @Test
    void answersProblemJson() {
        Http.Response denied = Http.post(modelUrl(), BODY);
        assertEquals(401, denied.status());
        assertEquals("Unauthenticated", denied.json().path("title").asText());
        assertEquals(401, denied.json().path("status").asInt());
        Http.Response invalid = Http.post(modelUrl(), "{}", "Authorization", AUTH);
        assertEquals(422, invalid.status());
        assertEquals("Input validation failed", invalid.json().path("title").asText());
        assertEquals(404, Http.post(server.baseUrl() + "/models/x/y/predictions", BODY, "Authorization", AUTH)
                .status());
        server.failWith(429, null);
        Http.Response throttled = Http.post(modelUrl(), BODY, "Authorization", AUTH);
        assertEquals(429, throttled.status());
        assertEquals("1", throttled.header("retry-after"));
        assertTrue(throttled.json().path("detail").asText().startsWith("Request was throttled"));
    }

    @Test
    void breaksTheStreamOffBeforeDone() {
        server.breakStreamAfter(2);
        JsonNode p = Http.post(modelUrl(), BODY, "Authorization", AUTH, "Prefer", "wait").json();
        Http.Streamed s = Http.stream(p.path("urls").path("stream").asText(), null);
        assertEquals(List.of("output", "output"), s.values("event: "));
        assertTrue(s.broken());
    }
}
