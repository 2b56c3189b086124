package io.visca.gateway.health;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.infra.test.ManagementInterface;

/**
 * Health and metrics answer on the management port ({@code quarkus.management.*}) and nowhere else: the port of the
 * health API serves none of them. (The monitor has no OpenAPI document or Swagger UI at all.)
 */
@QuarkusTest
class ManagementInterfaceTests {

    @ParameterizedTest
    @ValueSource(strings = { "/q/metrics", "/q/health", "/q/health/ready", "/q/health/live", "/q/openapi",
            "/q/swagger-ui", "/q/swagger-ui/", "/q/dev-ui" })
    void theApiPortServesNoManagementEndpoint(String path) {
        given().get(path).then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/q/metrics", "/q/health", "/q/health/ready", "/q/health/live" })
    void theManagementPortServesThem(String path) {
        given().baseUri(ManagementInterface.url()).get(path).then().statusCode(200);
    }

    @Test
    void theManagementPortServesNoApi() {
        given().baseUri(ManagementInterface.url()).get("/api/health").then().statusCode(404);
    }
}
