package io.visca.gateway.billing.finance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.infra.test.ManagementInterface;

/** Every bad parameter is a 400 naming it, in the registry's error shape; no token, or a wrong one, is a 401. */
@QuarkusTest
class UsageApiValidationTests {

    @ParameterizedTest(name = "{0}?{1}={2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "summary        | from     | yesterday                | neither an ISO-8601 instant",
            "summary        | to       | 2026-13-01               | neither an ISO-8601 instant",
            "summary        | from     | 2026-01-01T10:30:00Z     | must be on the hour",
            "summary        | group_by | provider,color           | unknown group 'color'",
            "summary        | status   | error                    | unknown parameter",
            "summary        | groupby  | provider                 | unknown parameter",
            "reconciliation | to       | 2026-01-01T00:00:01Z     | must be on the hour",
            "reconciliation | from     | 01/01/2026               | neither an ISO-8601 instant",
            "records        | limit    | 0                        | from 1 to 1000",
            "records        | limit    | 1001                     | from 1 to 1000",
            "records        | limit    | ten                      | from 1 to 1000",
            "records        | cursor   | not-a-cursor             | not a cursor this API gave out",
            "records        | cursor   | djE6eHl6                 | not a cursor this API gave out",
            "records        | status   | failed                   | is not one of client_closed, error, success",
            "records        | stream   | yes                      | must be true or false",
            "records        | from     | 2026-01-01T00:00:00      | neither an ISO-8601 instant",
            "records        | provider | ''                       | must be 1 to 256 characters",
            "records        | request_id | ''                     | must be 1 to 256 characters",
            "export         | stream   | 1                        | must be true or false",
            "export         | request_id | ''                     | must be 1 to 256 characters",
            "summary        | request_id | req_1                  | unknown parameter",
            "export         | limit    | 10                       | unknown parameter" })
    void aBadParameterIsA400NamingIt(String endpoint, String parameter, String value, String message) {
        FinanceApi.api().queryParam(parameter, value).get("/api/usage/" + endpoint).then().statusCode(400)
                .contentType(containsString("application/json"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_parameter"))
                .body("error.param", equalTo(parameter))
                .body("error.message", containsString(message))
                .body("error.violations.field", hasItem(parameter))
                .body("request_id", notNullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = { "summary", "reconciliation", "records", "export" })
    void fromAfterToIsA400(String endpoint) {
        FinanceApi.api().queryParam("from", "2026-02-01").queryParam("to", "2026-01-01")
                .get("/api/usage/" + endpoint).then().statusCode(400)
                .body("error.param", equalTo("from")).body("error.message", containsString("is after to"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "summary", "records" })
    void aRepeatedParameterIsA400(String endpoint) {
        FinanceApi.api().queryParam("from", "2026-01-01").queryParam("from", "2026-01-02")
                .get("/api/usage/" + endpoint).then().statusCode(400)
                .body("error.param", equalTo("from")).body("error.message", containsString("given more than once"));
    }

    @org.junit.jupiter.api.Test
    void hourlyGroupingIsCappedAt92Days() {
        FinanceApi.api().queryParam("from", "2026-01-01").queryParam("to", "2026-04-04").queryParam("group_by",
                "provider,hour").get("/api/usage/summary").then().statusCode(400)
                .body("error.param", equalTo("group_by"))
                .body("error.message", containsString("group_by=hour covers at most 92 days"));
        FinanceApi.api().queryParam("from", "2026-01-01").queryParam("to", "2026-04-04").queryParam("group_by",
                "provider,day").get("/api/usage/summary").then().statusCode(200);
        FinanceApi.api().queryParam("from", "2026-01-01").queryParam("to", "2026-04-03").queryParam("group_by",
                "hour").get("/api/usage/summary").then().statusCode(200);
    }

    @org.junit.jupiter.api.Test
    void everyProblemIsListed() {
        FinanceApi.api().queryParam("from", "soon").queryParam("limit", "-1").queryParam("stream", "maybe")
                .get("/api/usage/records").then().statusCode(400)
                .body("error.message", containsString("3 problems"))
                .body("error.violations.field", equalTo(java.util.List.of("from", "stream", "limit")));
    }

    @org.junit.jupiter.api.Test
    void offsetsAndUnencodedPlusSignsAreUnderstood() {
        FinanceApi.api().queryParam("from", "2026-01-01T02:00:00+02:00").queryParam("to", "2026-01-02")
                .get("/api/usage/summary").then().statusCode(200).body("from", equalTo("2026-01-01T00:00:00Z"));
        FinanceApi.api().urlEncodingEnabled(false).queryParam("from", "2026-01-01T02:00:00+02:00")
                .queryParam("to", "2026-01-02").get("/api/usage/summary").then().statusCode(200)
                .body("from", equalTo("2026-01-01T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "summary", "reconciliation", "records", "export" })
    void withoutTheTokenItIsA401(String endpoint) {
        given().get("/api/usage/" + endpoint).then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error.type", equalTo("authentication_error")).body("error.code", equalTo("missing_token"));
        bearer("wrong-token").get("/api/usage/" + endpoint).then().statusCode(401)
                .body("error.code", equalTo("invalid_token"));
        given().header("Authorization", "Basic dGVzdDp0ZXN0").get("/api/usage/" + endpoint).then().statusCode(401);
    }

    @ParameterizedTest
    @ValueSource(strings = { FinanceApi.ADMIN_TOKEN, FinanceApi.BILLING_TOKEN })
    void theAdminTokenAndTheBillingTokenBothOpenIt(String token) {
        bearer(token).get("/api/usage/summary").then().statusCode(200);
        bearer(token).get("/api/usage/records").then().statusCode(200);
    }

    @org.junit.jupiter.api.Test
    void healthAndMetricsNeedNoTokenOnTheManagementPort() {
        given().baseUri(ManagementInterface.url()).get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"));
        given().baseUri(ManagementInterface.url()).get("/q/metrics").then().statusCode(200)
                .body(containsString("billing_events_ingested_total"));
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}
