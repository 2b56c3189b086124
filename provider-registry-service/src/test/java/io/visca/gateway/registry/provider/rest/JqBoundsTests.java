package io.visca.gateway.registry.provider.rest;

import static io.restassured.RestAssured.given;
import static io.visca.gateway.registry.TestApi.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.infra.test.ManagementInterface;
import io.visca.gateway.registry.TestApi;

/** A custom provider's jq transforms are run once at save time within {@code registry.jq.*}. */
@QuarkusTest
class JqBoundsTests {

    private static String custom(String name, String request, String response) {
        ObjectNode provider = JsonNodeFactory.instance.objectNode().put("name", name).put("type", "custom")
                .put("base_url", "http://127.0.0.1:1");
        provider.putArray("models").addObject().put("id", "m");
        provider.putObject("request").put("path", "/generate");
        provider.putObject("transform").put("language", "jq").put("request", request).put("response", response);
        return provider.toString();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiterString = " => ", value = {
            "request => last(range(1e9)) => exceeded the jq",
            "request => range(1e9) | empty => exceeded the jq",
            "request => [range(1e8)] => exceeded the jq",
            "request => def f: f; f => exceeded the jq recursion depth bound",
            "request => {prompt: (\"x\" * 1e9)} => exceeded the jq memory bound (33554432 bytes)",
            "response => last(range(1e18)) => exceeded the jq",
            "response => reduce range(40) as $i ([1]; [., .]) | tojson => exceeded the jq memory bound" })
    void refusesATransformThatCannotFinishNamingTheFieldAndTheBound(String field, String program, String bound) {
        String body = "request".equals(field) ? custom("jq-bound", program, "{content: .text}")
                : custom("jq-bound", "{prompt: .messages[-1].content}", program);
        String response = admin().body(body).post("/api/providers").then().statusCode(400)
                .body("error.code", equalTo("validation_failed"))
                .body("error.param", equalTo("transform." + field)).extract().asString();
        List<Map<String, String>> violations = JsonPath.from(response).getList("error.violations");
        assertTrue(violations.stream().anyMatch(v -> ("transform." + field).equals(v.get("field"))
                && v.get("message").startsWith("does not finish within the jq bounds: " + bound)), violations
                        .toString());
    }

    @Test
    void staysHealthyAfterHostileTransformsAndSavesAnOrdinaryOne() {
        for (String hostile : List.of("last(range(1e9))", "[range(1e8)]", "def f: f; f", "\"x\" * 1e9")) {
            admin().body(custom("jq-hostile", hostile, "{content: .text}")).post("/api/providers").then()
                    .statusCode(400);
        }
        given().baseUri(ManagementInterface.url()).get("/q/health/ready").then().statusCode(200);
        String name = TestApi.uniqueName("jq-ok");
        admin().body(custom(name, "{prompt: .messages[-1].content, max_tokens: (.max_tokens // 100)}",
                "{content: .text}")).post("/api/providers").then().statusCode(201);
    }

    @Test
    void acceptsAnEndlessProgramWhoseFirstOutputComesAtOnce() {
        // only the first output is used, and the evaluation stops there: range(1e9) gives 0 and is done
        admin().body(custom(TestApi.uniqueName("jq-first"), "range(1e9) | {prompt: tostring}", "{content: .text}"))
                .post("/api/providers").then().statusCode(201);
    }

    @Test
    void acceptsATransformThatOnlyFailsOnTheSample() {
        // a program may rely on fields the sample lacks: failing on it is not a reason to refuse
        admin().body(custom(TestApi.uniqueName("jq-strict"), "{prompt: (.messages[5].content | ascii_downcase)}",
                ".choices[0].text | ascii_downcase | {content: .}")).post("/api/providers").then().statusCode(201);
    }
}
