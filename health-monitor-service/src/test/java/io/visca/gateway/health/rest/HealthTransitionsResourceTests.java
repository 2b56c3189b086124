package io.visca.gateway.health.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.health.testing.HealthEvents;
import io.visca.gateway.health.testing.MonitorApi;
import io.visca.gateway.health.testing.MonitorTestResource;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.health.testing.RegistryAdmin;
import io.visca.gateway.infra.Ports;

/**
 * {@code GET /api/health/transitions}: real probes against a fake upstream that goes down and up again; the history
 * is exactly what was published on {@code provider-health-changed}, newest first, filtered, limited, and forgotten
 * with the endpoint.
 */
@QuarkusTest
class HealthTransitionsResourceTests {

    private static final String PROVIDER = "hm-timeline";
    private static FakeOpenAiServer upstream;
    private static String closed;

    @BeforeAll
    static void upstream() {
        upstream = FakeOpenAiServer.start();
        closed = "http://127.0.0.1:" + Ports.free() + "/v1";
    }

    @AfterAll
    static void cleanUp() {
        RegistryAdmin.deleteProvider(PROVIDER);
        RegistryAdmin.deleteProvider("hm-forgotten");
        upstream.close();
    }

    @Test
    void listsEveryPublishedTransitionNewestFirstWithFiltersAndLimit() {
        Instant started = Instant.now();
        ProviderJson.of(PROVIDER, "openai-compatible").endpoint("replica-1", upstream.baseUrl())
                .endpoint("replica-2", closed).probe(1, 2, 1).put();
        HealthEvents events = HealthEvents.get();
        events.awaitStatus(PROVIDER + "/replica-1", "UP");
        events.awaitStatus(PROVIDER + "/replica-2", "DOWN");

        upstream.stop();
        events.awaitStatus(PROVIDER + "/replica-1", "DOWN");
        upstream.restart();
        events.await(PROVIDER + "/replica-1", e -> "UP".equals(e.status()) && "DOWN".equals(e.value()
                .path("previous_status").asText()));

        List<Map<String, Object>> expected = new ArrayList<>();
        for (String endpoint : List.of("replica-1", "replica-2")) {
            for (HealthEvents.Event e : events.forKey(PROVIDER + "/" + endpoint)) {
                if (!e.tombstone()) {
                    expected.add(fromEvent(e.value()));
                }
            }
        }
        expected.sort(Comparator.comparing((Map<String, Object> t) -> Instant.parse((String) t.get("at")))
                .reversed());
        assertEquals(4, expected.size(), "replica-1 UP, DOWN, UP; replica-2 DOWN: " + expected);

        JsonPath body = await().atMost(Duration.ofSeconds(10)).until(() -> transitions(Map.of("provider", PROVIDER)),
                b -> b.getList("transitions").size() == expected.size());
        List<Map<String, Object>> listed = body.getList("transitions");
        assertEquals(expected, comparable(listed), "exactly the published transitions, newest first");
        Map<String, Object> newest = listed.get(0);
        assertEquals(List.of(PROVIDER, "replica-1", upstream.baseUrl(), "DOWN", "UP",
                "GET /v1/models answered HTTP 200"),
                List.of(newest.get("provider"), newest.get("endpoint"),
                        newest.get("base_url"), newest.get("from"), newest.get("to"), newest.get("reason")));
        Map<String, Object> replica2 = listed.stream().filter(t -> t.get("endpoint").equals("replica-2")).findFirst()
                .orElseThrow();
        assertTrue(replica2.containsKey("from") && replica2.get("from") == null, "the first status has no from");
        assertEquals(closed, replica2.get("base_url"));
        assertTrue(((String) replica2.get("reason")).startsWith("GET /v1/models: connection refused"));
        assertFalse(Instant.parse(body.getString("history_started_at")).isAfter(started));
        assertEquals("PT168H", body.getString("max_age"));

        assertEquals(listed.subList(0, 2), transitions(Map.of("provider", PROVIDER, "limit", "2"))
                .getList("transitions"), "limit keeps the newest");
        String thirdAt = (String) listed.get(2).get("at");
        assertEquals(listed.subList(0, 3), transitions(Map.of("provider", PROVIDER, "since", thirdAt))
                .getList("transitions"), "since is inclusive");
        String offset = Instant.parse(thirdAt).atOffset(ZoneOffset.ofHours(2)).toString();
        assertEquals(listed.subList(0, 3), transitions(Map.of("provider", PROVIDER, "since", offset))
                .getList("transitions"), "since with an offset");

        List<Map<String, Object>> all = transitions(Map.of("limit", "5000")).getList("transitions");
        assertTrue(all.containsAll(listed), "without provider, every provider's transitions");
        for (int i = 1; i < all.size(); i++) {
            assertFalse(Instant.parse((String) all.get(i).get("at"))
                    .isAfter(Instant.parse((String) all.get(i - 1).get("at"))), "newest first: " + all);
        }
    }

    @Test
    void anUnknownProviderHasNoTransitions() {
        MonitorApi.request().queryParam("provider", "hm-never-registered").get("/api/health/transitions").then()
                .statusCode(200).body("transitions", empty());
    }

    @Test
    void historyIsForgottenWithTheEndpointButKeptWhileTheProviderIsDisabled() {
        ProviderJson.of("hm-forgotten", "openai-compatible").endpoint("kept", closed).endpoint("removed", closed)
                .probe(1, 1, 1).put();
        await().atMost(Duration.ofSeconds(30)).until(() -> transitions(Map.of("provider", "hm-forgotten"))
                .getList("transitions.endpoint"), e -> e.size() == 2);

        ProviderJson.of("hm-forgotten", "openai-compatible").endpoint("kept", closed).probe(1, 1, 1).put();
        await().atMost(Duration.ofSeconds(30)).until(() -> transitions(Map.of("provider", "hm-forgotten"))
                .getList("transitions.endpoint"), e -> e.equals(List.of("kept")));

        RegistryAdmin.setEnabled("hm-forgotten", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> MonitorApi.provider("hm-forgotten").getBoolean("enabled"),
                enabled -> !enabled);
        assertEquals(List.of("kept"), transitions(Map.of("provider", "hm-forgotten")).getList("transitions.endpoint"),
                "a disabled provider keeps its history");

        RegistryAdmin.deleteProvider("hm-forgotten");
        await().atMost(Duration.ofSeconds(30)).until(() -> transitions(Map.of("provider", "hm-forgotten"))
                .getList("transitions"), List::isEmpty);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "since | yesterday            | is not an ISO-8601 instant",
            "since | 2026-11-26           | is not an ISO-8601 instant",
            "since | 2026-11-26T04:00:00  | is not an ISO-8601 instant",
            "limit | 0                    | from 1 to 5000",
            "limit | 5001                 | from 1 to 5000",
            "limit | ten                  | from 1 to 5000" })
    void aBadParameterIsA400NamingIt(String parameter, String value, String message) {
        MonitorApi.request().header("x-request-id", "req-hm-400").queryParam(parameter, value)
                .get("/api/health/transitions").then().statusCode(400).contentType("application/json")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_parameter"))
                .body("error.param", equalTo(parameter))
                .body("error.message", startsWith(parameter + ": "))
                .body("error.message", containsString(message))
                .body("request_id", equalTo("req-hm-400"));
    }

    @Test
    void theLimitTakesUpTo5000AndDefaultsTo500() {
        MonitorApi.request().queryParam("limit", "5000").get("/api/health/transitions").then().statusCode(200)
                .body("transitions", notNullValue());
        MonitorApi.request().queryParam("limit", "1").get("/api/health/transitions").then().statusCode(200)
                .body("transitions", hasSize(1));
    }

    @Test
    void theTransitionsNeedTheServiceOrTheAdminToken() {
        given().get("/api/health/transitions").then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                .body("error.code", equalTo("missing_token"));
        given().header("Authorization", "Bearer not-" + MonitorTestResource.ADMIN_TOKEN).get("/api/health/transitions")
                .then().statusCode(401).body("error.code", equalTo("invalid_token"));
        given().header("Authorization", "Bearer " + MonitorTestResource.ADMIN_TOKEN).get("/api/health/transitions")
                .then().statusCode(200).body("transitions", notNullValue());
    }

    private static JsonPath transitions(Map<String, String> query) {
        return MonitorApi.request().queryParams(query).get("/api/health/transitions").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
    }

    /** A transition as the API should list it, from the event the monitor published for it. */
    private static Map<String, Object> fromEvent(JsonNode event) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("at", Instant.parse(event.path("checked_at").asText()).toString());
        t.put("provider", event.path("provider").asText());
        t.put("endpoint", event.path("endpoint").asText());
        t.put("from", event.path("previous_status").isNull() ? null : event.path("previous_status").asText());
        t.put("to", event.path("status").asText());
        t.put("reason", event.path("reason").asText());
        return t;
    }

    /** The listed transitions without base_url (events do not carry it) and with {@code at} normalised. */
    private static List<Map<String, Object>> comparable(List<Map<String, Object>> listed) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> t : listed) {
            Map<String, Object> copy = new LinkedHashMap<>(t);
            copy.remove("base_url");
            copy.put("at", Instant.parse((String) t.get("at")).toString());
            out.add(copy);
        }
        return out;
    }
}
