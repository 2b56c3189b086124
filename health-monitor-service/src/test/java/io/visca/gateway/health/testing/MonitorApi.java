package io.visca.gateway.health.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The monitor's status API as the gateway's services call it: with the service token. */
public final class MonitorApi {

    private MonitorApi() {
    }

    public static RequestSpecification request() {
        return given().header("Authorization", "Bearer " + MonitorTestResource.SERVICE_TOKEN);
    }

    /** {@code GET /api/health/{provider}}, which must answer 200. */
    public static JsonPath provider(String name) {
        return request().get("/api/health/" + name).then().statusCode(200).extract().jsonPath();
    }

    /** The endpoint's entry in {@code GET /api/health/{provider}} (null while it is not probed, or unknown). */
    public static Endpoint endpoint(String provider, String endpoint) {
        Response response = request().get("/api/health/" + provider);
        if (response.statusCode() == 404) {
            return null;
        }
        JsonPath body = response.then().statusCode(200).extract().jsonPath();
        int i = body.getList("endpoints.endpoint").indexOf(endpoint);
        return i < 0 ? null : new Endpoint(body.getMap("endpoints[" + i + "]"));
    }

    /** Waits until the endpoint's entry matches; returns it. */
    public static Endpoint awaitEndpoint(String provider, String endpoint, Predicate<Endpoint> matching) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> endpoint(provider, endpoint), e -> e != null && matching.test(e));
    }

    public static Endpoint awaitStatus(String provider, String endpoint, String status) {
        return awaitEndpoint(provider, endpoint, e -> status.equals(e.status()));
    }

    /** One endpoint of {@code /api/health}, as JSON fields. */
    public record Endpoint(Map<String, Object> fields) {

        public String status() {
            return (String) fields.get("status");
        }

        public int consecutiveFailures() {
            return ((Number) fields.get("consecutive_failures")).intValue();
        }

        public int consecutiveSuccesses() {
            return ((Number) fields.get("consecutive_successes")).intValue();
        }

        public String lastReason() {
            return (String) fields.get("last_reason");
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> transitions() {
            return (List<Map<String, Object>>) fields.get("transitions");
        }
    }
}
