package io.visca.gateway.health.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.health.testing.MonitorApi;
import io.visca.gateway.health.testing.MonitorTestResource;
import io.visca.gateway.health.testing.ProviderJson;
import io.visca.gateway.health.testing.RegistryAdmin;
import io.visca.gateway.infra.Ports;
import io.visca.gateway.infra.test.ManagementInterface;

/** {@code GET /api/health} and {@code GET /api/health/{provider}}: content, errors, and the service or admin token. */
@QuarkusTest
class HealthStatusResourceTests {

    private static FakeOpenAiServer upstream;
    private static String closed;

    @BeforeAll
    static void upstream() {
        upstream = FakeOpenAiServer.start();
        closed = "http://127.0.0.1:" + Ports.free() + "/v1";
    }

    @AfterAll
    static void cleanUp() {
        RegistryAdmin.deleteProvider("hm-api");
        RegistryAdmin.deleteProvider("hm-admin-read");
        upstream.close();
    }

    @Test
    void showsEveryEndpointWithItsStatusCountersLastReasonAndTransitions() {
        ProviderJson.of("hm-api", "openai-compatible").endpoint("primary", upstream.baseUrl())
                .endpoint("secondary", closed).probe(1, 2, 1).put();
        MonitorApi.awaitStatus("hm-api", "primary", "UP");
        MonitorApi.awaitStatus("hm-api", "secondary", "DOWN");

        JsonPath all = MonitorApi.request().get("/api/health").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertTrue(all.getLong("registry_revision") > 0);
        assertTrue(all.getInt("up") >= 1 && all.getInt("down") >= 1, all.prettify());
        assertTrue(all.getInt("unpublished_events") >= 0);
        Map<String, Object> provider = all.getMap("providers.find { it.provider == 'hm-api' }");
        assertEquals("hm-api", provider.get("provider"));
        assertEquals(List.of("primary", "secondary"), MonitorApi.provider("hm-api").getList("endpoints.endpoint"),
                "/api/health/{provider} answers the provider's entry");
        assertEquals("openai-compatible", provider.get("type"));
        assertEquals(true, provider.get("enabled"));
        assertEquals(true, provider.get("probed"));
        assertNull(provider.get("note"));

        JsonPath one = MonitorApi.provider("hm-api");
        Map<String, Object> primary = one.getMap("endpoints.find { it.endpoint == 'primary' }");
        assertEquals("hm-api", primary.get("provider"));
        assertEquals(upstream.baseUrl(), primary.get("base_url"));
        assertEquals("GET /v1/models", primary.get("probe"));
        assertEquals("HTTP 2xx", primary.get("healthy_when"));
        assertEquals(List.of(1, 1, 2, 1), List.of(primary.get("interval_seconds"), primary.get("timeout_seconds"),
                primary.get("failure_threshold"), primary.get("success_threshold")));
        assertEquals("UP", primary.get("status"));
        Instant.parse((String) primary.get("last_checked_at"));
        assertTrue(((Number) primary.get("latency_ms")).longValue() >= 0);
        assertEquals(200, primary.get("last_http_status"));
        assertEquals(0, primary.get("consecutive_failures"));
        assertTrue(((Number) primary.get("consecutive_successes")).intValue() >= 1);
        assertEquals("GET /v1/models answered HTTP 200", primary.get("last_reason"));
        Map<String, Object> firstUp = one.getMap("endpoints.find { it.endpoint == 'primary' }.transitions[0]");
        assertEquals("UP", firstUp.get("status"));
        assertTrue(firstUp.containsKey("previous_status") && firstUp.get("previous_status") == null);
        assertEquals("GET /v1/models answered HTTP 200", firstUp.get("reason"));
        assertEquals(1, firstUp.get("consecutive_successes"));
        Instant.parse((String) firstUp.get("at"));

        Map<String, Object> secondary = one.getMap("endpoints.find { it.endpoint == 'secondary' }");
        assertEquals("DOWN", secondary.get("status"));
        assertNull(secondary.get("last_http_status"));
        assertTrue(((Number) secondary.get("consecutive_failures")).intValue() >= 2);
        assertTrue(((String) secondary.get("last_reason")).startsWith("GET /v1/models: connection refused"));
        assertEquals(2, one.getInt("endpoints.find { it.endpoint == 'secondary' }.transitions[0]"
                + ".consecutive_failures"));
    }

    @Test
    void anUnknownProviderIs404InTheErrorShape() {
        MonitorApi.request().header("x-request-id", "req-hm-404").get("/api/health/hm-no-such-provider").then()
                .statusCode(404).contentType("application/json")
                .body("error.type", equalTo("not_found_error"))
                .body("error.code", equalTo("provider_not_found"))
                .body("error.message", equalTo("no provider named 'hm-no-such-provider' in the registry"))
                .body("request_id", equalTo("req-hm-404"));
    }

    @Test
    void theApiNeedsTheServiceOrTheAdminToken() {
        for (String path : List.of("/api/health", "/api/health/hm-api", "/api/health/transitions")) {
            given().get(path).then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                    .body("error.type", equalTo("authentication_error")).body("error.code", equalTo("missing_token"))
                    .body("error.message", containsString("GATEWAY_ADMIN_TOKEN"));
            given().header("Authorization", "Bearer " + MonitorTestResource.SERVICE_TOKEN + "x").get(path).then()
                    .statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                    .body("error.type", equalTo("authentication_error")).body("error.code", equalTo("invalid_token"))
                    .body("error.message", equalTo("the bearer token is not valid for this API"))
                    .body("request_id", startsWith("req_"));
            given().header("Authorization", "Basic " + MonitorTestResource.SERVICE_TOKEN).get(path).then()
                    .statusCode(401).body("error.code", equalTo("missing_token"));
        }
    }

    @Test
    void operatorsReadTheApiWithTheAdminToken() {
        ProviderJson.of("hm-admin-read", "openai-compatible").endpoint("up", upstream.baseUrl()).put();
        MonitorApi.awaitStatus("hm-admin-read", "up", "UP");
        for (String token : List.of(MonitorTestResource.ADMIN_TOKEN, MonitorTestResource.SERVICE_TOKEN)) {
            given().header("Authorization", "Bearer " + token).get("/api/health").then().statusCode(200)
                    .body("providers.provider", hasItem("hm-admin-read"));
            given().header("Authorization", "Bearer " + token).get("/api/health/hm-admin-read").then()
                    .statusCode(200).body("endpoints[0].status", equalTo("UP"));
            given().header("Authorization", "Bearer " + token).get("/api/health/transitions?provider=hm-admin-read")
                    .then().statusCode(200).body("transitions[0].to", equalTo("UP"));
        }
    }

    @Test
    void healthEndpointsStayOpenOnTheManagementPort() {
        given().baseUri(ManagementInterface.url()).get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"));
        given().baseUri(ManagementInterface.url()).get("/q/health/live").then().statusCode(200);
        given().baseUri(ManagementInterface.url()).get("/q/health").then().statusCode(200);
    }
}
