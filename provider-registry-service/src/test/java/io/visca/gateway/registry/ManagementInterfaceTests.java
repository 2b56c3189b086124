package io.visca.gateway.registry;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.infra.test.ManagementInterface;

/**
 * Health, metrics, OpenAPI and Swagger UI answer on the management port ({@code quarkus.management.*}) and nowhere
 * else: the port of the admin API and the dashboard serves none of them.
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
    @ValueSource(strings = { "/q/metrics", "/q/health", "/q/health/ready", "/q/health/live", "/q/openapi", "/q/swagger-ui/" })
    void theManagementPortServesThem(String path) {
        given().baseUri(ManagementInterface.url()).get(path).then().statusCode(200);
    }

    @Test
    void theManagementPortServesNoApi() {
        given().baseUri(ManagementInterface.url()).get("/api/providers").then().statusCode(404);
    }
}
