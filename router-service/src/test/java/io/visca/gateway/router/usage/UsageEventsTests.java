package io.visca.gateway.router.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.visca.gateway.contracts.WireNames;
import io.visca.gateway.contracts.event.Topics;
import io.visca.gateway.contracts.event.UsageRecorded;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.FinishedRequests;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;
import io.visca.gateway.router.testing.UsageTopic;

/** Every finished request becomes exactly one usage-recorded event on the real topic, read as billing reads it. */
@QuarkusTest
class UsageEventsTests {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static FakeOpenAiServer upstream;
    private static FakeOpenAiServer failing;
    private static UsageTopic topic;

    @Inject
    UsageEmitter emitter;

    @BeforeAll
    static void providers() {
        upstream = FakeOpenAiServer.start().models("gpt-4o-mini").reply("Foxes are small omnivores.");
        failing = FakeOpenAiServer.start().models("gpt-4o-mini").failWith(500, "{\"error\":{\"message\":\"boom\"}}");
        RegistryAdmin.putProvider("""
                {"name": "usage-openai", "type": "openai-compatible", "base_url": "%s", "api_key": "sk-test",
                 "retry": {"max_retries": 0},
                 "models": [{"id": "usage-chat", "upstream_model": "gpt-4o-mini", "context_window": 128000,
                             "cost_per_1k_input": 0.15, "cost_per_1k_output": 0.6}]}""".formatted(upstream.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "usage-failing", "type": "openai-compatible", "base_url": "%s", "api_key": "sk-test",
                 "retry": {"max_retries": 0},
                 "models": [{"id": "usage-failing-chat", "upstream_model": "gpt-4o-mini", "context_window": 128000,
                             "cost_per_1k_input": 0.15, "cost_per_1k_output": 0.6}]}""".formatted(failing.baseUrl()));
        RouterApi.awaitModel("usage-chat");
        RouterApi.awaitModel("usage-failing-chat");
        topic = new UsageTopic(Topics.USAGE_RECORDED);
    }

    @AfterAll
    static void stop() {
        topic.close();
        RegistryAdmin.deleteProvider("usage-openai");
        RegistryAdmin.deleteProvider("usage-failing");
        upstream.close();
        failing.close();
    }

    @Test
    void aSuccessfulChatBecomesOneEventWithEveryFieldOfTheContract() {
        String id = newId();
        Response response = chat(id, "usage-chat", false);
        assertEquals(200, response.statusCode());
        FinishedRequest record = FinishedRequests.get(id);

        JsonNode event = topic.await(id, WITHIN);
        assertEquals(contractFields(), fields(event), "every field of UsageRecorded, by its wire name");
        assertEquals(UsageRecorded.SCHEMA_VERSION, event.get("schema_version").asInt());
        assertEquals(record.eventId(), event.get("event_id").asText(), "the router's own id");
        assertNotEquals(id, event.get("event_id").asText(), "never the client's x-request-id");
        assertEquals(id, event.get("request_id").asText(), "the client's x-request-id, as the correlation id");
        assertEquals(record.eventId(), topic.records(id).get(0).key(), "keyed by the event id");
        assertEquals(record.occurredAt(), Instant.parse(event.get("occurred_at").asText()));
        assertEquals(record.apiKeyId(), event.get("api_key_id").asText());
        assertEquals("usage-chat", event.get("requested_model").asText());
        assertEquals("usage-chat", event.get("served_model").asText());
        assertEquals("gpt-4o-mini", event.get("upstream_model").asText());
        assertEquals("usage-openai", event.get("provider").asText());
        assertEquals(response.header("x-visca-endpoint"), event.get("endpoint").asText());
        assertEquals(response.header("x-visca-strategy"), event.get("strategy").asText());
        assertEquals("chat", event.get("operation").asText());
        assertEquals(1, event.get("attempts").asInt());
        assertEquals("success", event.get("status").asText());
        assertEquals(200, event.get("http_status").asInt());
        assertTrue(event.get("error_type").isNull());
        assertTrue(event.get("error_code").isNull());
        assertFalse(event.get("stream").asBoolean());

        JsonNode usage = Chats.json(response.asString()).path("usage");
        assertEquals(usage.path("prompt_tokens").asLong(), event.get("prompt_tokens").asLong());
        assertEquals(usage.path("completion_tokens").asLong(), event.get("completion_tokens").asLong());
        assertTrue(event.get("completion_tokens").asLong() > 0);
        assertEquals(0, event.get("cached_tokens").asLong());
        assertFalse(event.get("tokens_estimated").asBoolean());
        assertExact(record.cost().input(), event.get("input_cost"));
        assertExact(record.cost().output(), event.get("output_cost"));
        assertExact(record.cost().total(), event.get("total_cost"));
        assertEquals(0, new BigDecimal(response.header("x-visca-cost-usd"))
                .compareTo(new BigDecimal(event.get("total_cost").asText())), "the cost the client was told");
        assertTrue(event.get("reported_cost").isNull());
        assertEquals(Math.round(record.latencyMs()), event.get("latency_ms").asLong());
        assertEquals(record.timeToFirstTokenMs() == null ? "null"
                : Long.toString(Math.round(record.timeToFirstTokenMs())), event.get("time_to_first_token_ms").asText());

        JsonNode attempt = event.get("attempt_log").get(0);
        assertEquals(1, event.get("attempt_log").size());
        assertEquals("usage-openai", attempt.get("provider").asText());
        assertEquals(response.header("x-visca-endpoint"), attempt.get("endpoint").asText());
        assertEquals("usage-chat", attempt.get("model").asText());
        assertEquals(200, attempt.get("http_status").asInt());
        assertTrue(attempt.get("error_code").isNull());
        assertTrue(attempt.get("latency_ms").asDouble() > 0);

        assertExactlyOne(id);
    }

    @Test
    void aStreamBecomesOneEventWithItsTimeToFirstToken() {
        String id = newId();
        Response response = chat(id, "usage-chat", true);
        assertEquals(200, response.statusCode());
        assertTrue(response.asString().trim().endsWith("data: [DONE]"));

        JsonNode event = topic.await(id, WITHIN);
        FinishedRequest record = FinishedRequests.get(id);
        assertTrue(event.get("stream").asBoolean());
        assertEquals("success", event.get("status").asText());
        assertTrue(event.get("completion_tokens").asLong() > 0);
        assertEquals(record.completionTokens(), event.get("completion_tokens").asLong());
        assertFalse(event.get("time_to_first_token_ms").isNull());
        assertEquals(Math.round(record.timeToFirstTokenMs()), event.get("time_to_first_token_ms").asLong());
        assertExact(record.cost().total(), event.get("total_cost"));
        assertExactlyOne(id);
    }

    @Test
    void anUpstreamErrorBecomesOneEventWithItsErrorAndAttempt() {
        String id = newId();
        Response response = chat(id, "usage-failing-chat", false);
        assertEquals(502, response.statusCode());

        JsonNode event = topic.await(id, WITHIN);
        assertEquals(contractFields(), fields(event));
        assertEquals("error", event.get("status").asText());
        assertEquals(502, event.get("http_status").asInt());
        assertEquals("upstream_error", event.get("error_type").asText());
        assertEquals("upstream_http_500", event.get("error_code").asText());
        assertEquals("usage-failing", event.get("provider").asText());
        assertEquals(1, event.get("attempts").asInt());
        JsonNode attempt = event.get("attempt_log").get(0);
        assertEquals(500, attempt.get("http_status").asInt());
        assertEquals("upstream_http_500", attempt.get("error_code").asText());
        assertEquals(0, event.get("prompt_tokens").asLong());
        assertTrue(topic.records(id).get(0).value().contains("\"total_cost\":0.0000000000,"),
                "a priced model that cost nothing, as a plain decimal: " + topic.records(id).get(0).value());
        assertTrue(event.get("time_to_first_token_ms").isNull());
        assertExactlyOne(id);
    }

    @Test
    void requestsThatReachNoProviderAreRecordedToo() {
        String unknown = newId();
        Response notFound = chat(unknown, "no-such-model", false);
        assertEquals(404, notFound.statusCode());
        String unauthenticated = newId();
        Response refused = RestAssured.given().baseUri(RouterApi.baseUrl()).header("x-request-id", unauthenticated)
                .header("Authorization", "Bearer vsk_wrong").contentType("application/json")
                .body("{\"model\":\"usage-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions");
        assertEquals(401, refused.statusCode());

        JsonNode missing = topic.await(unknown, WITHIN);
        assertEquals("model_not_found", missing.get("error_code").asText());
        assertEquals(404, missing.get("http_status").asInt());
        assertEquals("no-such-model", missing.get("requested_model").asText());
        assertTrue(missing.get("provider").isNull());
        assertTrue(missing.get("served_model").isNull());
        assertTrue(missing.get("total_cost").isNull());
        assertEquals(0, missing.get("attempts").asInt());
        assertEquals(0, missing.get("attempt_log").size());

        JsonNode denied = topic.await(unauthenticated, WITHIN);
        assertEquals("authentication_error", denied.get("error_type").asText());
        assertEquals("invalid_api_key", denied.get("error_code").asText());
        assertTrue(denied.get("api_key_id").isNull());
        assertExactlyOne(unknown);
        assertExactlyOne(unauthenticated);
    }

    static String newId() {
        return "req-usage-" + UUID.randomUUID();
    }

    static Response chat(String id, String model, boolean stream) {
        return RouterApi.request().header("x-request-id", id)
                .body("{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about foxes\"}]}")
                .post("/v1/chat/completions");
    }

    /** Once the spool has sent everything, reads on a while: the request's event is there once. */
    private void assertExactlyOne(String id) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (emitter.spool().pendingEvents() > 0 && System.nanoTime() < deadline) {
            RouterApi.sleep(50);
        }
        topic.pollFor(Duration.ofSeconds(1));
        assertEquals(1, topic.records(id).size(), "events for " + id);
    }

    /** The same decimal, scale included (the wire carries 0.0010500000, never 1.05E-3). */
    private static void assertExact(BigDecimal expected, JsonNode actual) {
        assertNotNull(expected);
        assertTrue(actual.isBigDecimal(), actual.toString());
        assertEquals(expected, actual.decimalValue());
    }

    private static Set<String> contractFields() {
        return Arrays.stream(UsageRecorded.class.getRecordComponents()).map(c -> WireNames.snakeCase(c.getName()))
                .collect(Collectors.toSet());
    }

    private static Set<String> fields(JsonNode event) {
        Set<String> names = new HashSet<>();
        event.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
