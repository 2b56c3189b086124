package io.visca.gateway.registry.security;

import static io.restassured.RestAssured.given;
import static io.visca.gateway.registry.TestApi.ADMIN_TOKEN;
import static io.visca.gateway.registry.TestApi.SERVICE_TOKEN;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.visca.gateway.infra.test.ManagementInterface;

@QuarkusTest
class AdminAuthTests {

    @ParameterizedTest
    @ValueSource(strings = { "/api/providers", "/api/providers/anything", "/api/keys" })
    void rejectsAdminCallsWithoutAToken(String path) {
        given().get(path).then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("error.type", equalTo("authentication_error"))
                .body("error.code", equalTo("missing_token"))
                .body("request_id", notNullValue());
    }

    @Test
    void rejectsAWrongAdminToken() {
        given().header("Authorization", "Bearer " + ADMIN_TOKEN + "x").get("/api/providers").then().statusCode(401)
                .body("error.code", equalTo("invalid_token"));
        given().header("Authorization", "Basic " + ADMIN_TOKEN).get("/api/providers").then().statusCode(401)
                .body("error.code", equalTo("missing_token"));
    }

    @Test
    void rejectsTheServiceTokenOnTheAdminApiAndTheAdminTokenOnTheInternalApi() {
        given().header("Authorization", "Bearer " + SERVICE_TOKEN).get("/api/providers").then().statusCode(401);
        given().header("Authorization", "Bearer " + ADMIN_TOKEN).get("/internal/snapshot").then().statusCode(401)
                .body("error.code", equalTo("invalid_token"));
    }

    @Test
    void rejectsAnUnauthenticatedWriteBeforeReadingItsBody() {
        given().contentType("application/json").body("{not json").post("/api/providers").then().statusCode(401);
    }

    @Test
    void acceptsTheAdminTokenWhateverTheSchemeCase() {
        given().header("Authorization", "bearer " + ADMIN_TOKEN).get("/api/providers").then().statusCode(200);
    }

    @Test
    void echoesTheClientRequestIdOrMakesOne() {
        given().header("x-request-id", "trace-abc.123").get("/api/providers").then().statusCode(401)
                .header("x-request-id", equalTo("trace-abc.123"))
                .body("request_id", equalTo("trace-abc.123"));
        given().header("Authorization", "Bearer " + ADMIN_TOKEN).get("/api/providers").then().statusCode(200)
                .header("x-request-id", startsWith("req_"));
        given().header("x-request-id", "bad id with spaces").get("/api/providers").then()
                .header("x-request-id", startsWith("req_"));
    }

    @Test
    void leavesHealthOpenApiAndSwaggerOpenOnTheManagementPort() {
        given().header("Authorization", "Bearer " + ADMIN_TOKEN).get("/api/providers").then().statusCode(200);
        RequestSpecification management = given().baseUri(ManagementInterface.url());
        management.get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItems("Database connections health check",
                        "Reactive PostgreSQL connections health check", "Kafka connection health check"));
        management.get("/q/health/live").then().statusCode(200);
        management.get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/providers'.post.summary", equalTo("Create a provider"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/providers/{name}/test"))
                .body("components.schemas.ModelConfig.properties", org.hamcrest.Matchers.hasKey("cost_per_1k_input"));
        management.get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
        management.get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds_count"),
                containsString("jvm_memory_used_bytes"));
    }
}
