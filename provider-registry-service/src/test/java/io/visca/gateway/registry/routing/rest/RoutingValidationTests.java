package io.visca.gateway.registry.routing.rest;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.service;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.registry.TestApi;

/** Each mistake in a routing policy is a 400 naming the field and the bad value; all of them at once. */
@QuarkusTest
class RoutingValidationTests {

    /** Providers that exist (created before each test when missing). */
    private static final String KNOWN = TestApi.uniqueName("routed");
    private static final String OTHER = TestApi.uniqueName("routed");
    private static final String STRATEGIES = "valid strategies: cost-optimized, latency-optimized, weighted, "
            + "round-robin, priority, least-busy";

    @BeforeEach
    void createProviders() {
        for (String name : List.of(KNOWN, OTHER)) {
            if (admin().get("/api/providers/" + name).statusCode() == 404) {
                TestApi.create(TestApi.openAiProvider(name, "${TEST_API_KEY}"));
            }
        }
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                bad("unknown strategy", "{'models':{'m':{'strategy':'fastest'}}}", "models.m.strategy",
                        "unknown strategy 'fastest'; " + STRATEGIES),
                bad("strategy not a string", "{'auto':{'strategy':5}}", "auto.strategy", "unknown strategy 5; "
                        + STRATEGIES),
                bad("strategy in another case", "{'auto':{'strategy':'Priority'}}", "auto.strategy",
                        "unknown strategy 'Priority'"),
                bad("unknown provider", "{'auto':{'providers':['" + KNOWN + "','no-such-provider']}}",
                        "auto.providers[1]", "unknown provider 'no-such-provider': no provider of that name is in "
                                + "the registry"),
                bad("unknown provider in weights", "{'models':{'m':{'weights':{'" + KNOWN + "':1,'ghost':2}}}}",
                        "models.m.weights.ghost", "unknown provider 'ghost'"),
                bad("weight zero", "{'models':{'m':{'weights':{'" + KNOWN + "':0}}}}", "models.m.weights." + KNOWN,
                        "must be a positive integer from 1 to 1000000 (share of traffic), got 0"),
                bad("weight negative", "{'models':{'m':{'weights':{'" + KNOWN + "':-3}}}}",
                        "models.m.weights." + KNOWN, "must be a positive integer from 1 to 1000000 (share of "
                                + "traffic), got -3"),
                bad("weight fractional", "{'auto':{'weights':{'" + KNOWN + "':1.5}}}", "auto.weights." + KNOWN,
                        "got 1.5"),
                bad("weight as string", "{'auto':{'weights':{'" + KNOWN + "':'2'}}}", "auto.weights." + KNOWN,
                        "got '2'"),
                bad("weight too large", "{'auto':{'weights':{'" + KNOWN + "':1000001}}}", "auto.weights." + KNOWN,
                        "got 1000001"),
                bad("weights not an object", "{'auto':{'weights':[1]}}", "auto.weights",
                        "must be a JSON object of provider name to weight, got [1]"),
                bad("duplicate provider", "{'models':{'m':{'providers':['" + KNOWN + "','" + OTHER + "','" + KNOWN
                        + "']}}}", "models.m.providers[2]",
                        "duplicate provider '" + KNOWN
                                + "' (also models.m.providers[0])"),
                bad("provider not a string", "{'auto':{'providers':[3]}}", "auto.providers[0]",
                        "must be a provider name, got 3"),
                bad("blank provider", "{'auto':{'providers':[' ']}}", "auto.providers[0]",
                        "must be a provider name, got ' '"),
                bad("providers not an array", "{'auto':{'providers':'" + KNOWN + "'}}", "auto.providers",
                        "must be a JSON array of provider names in priority order, got '" + KNOWN + "'"),
                bad("fallback as string", "{'auto':{'fallback':'yes'}}", "auto.fallback",
                        "must be true or false, got 'yes'"),
                bad("fallback as number", "{'models':{'m':{'fallback':1}}}", "models.m.fallback",
                        "must be true or false, got 1"),
                bad("misspelt policy field", "{'models':{'m':{'strategi':'priority'}}}", "models.m.strategi",
                        "unknown field; did you mean 'strategy'?"),
                bad("unknown policy field", "{'auto':{'description':'cheap first'}}", "auto.description",
                        "unknown field"),
                bad("unknown top-level field", "{'defaults':{}}", "defaults", "unknown field"),
                bad("misspelt top-level field", "{'model':{}}", "model", "did you mean 'models'?"),
                bad("blank model id", "{'models':{' ':{}}}", "models", "model id ' ' is blank"),
                bad("empty model id", "{'models':{'':{}}}", "models", "model id '' is blank"),
                bad("model id with a space", "{'models':{'gpt 4':{}}}", "models",
                        "model id 'gpt 4' must be 1 to 256 printable ASCII characters without spaces"),
                bad("auto as a model id", "{'models':{'auto':{}}}", "models", "'auto' is not a model id"),
                bad("models not an object", "{'models':['m']}", "models",
                        "must be a JSON object of model id to policy, got [\"m\"]"),
                bad("policy not an object", "{'models':{'m':'priority'}}", "models.m", "must be a JSON object"),
                bad("auto not an object", "{'auto':true}", "auto", "must be a JSON object"),
                bad("body not an object", "[]", "", "must be a JSON object"));
    }

    private static Arguments bad(String mistake, String body, String field, String message) {
        return Arguments.of(mistake, json(body), field, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void rejectsTheMistakeNamingTheFieldAndTheValue(String mistake, String body, String field, String message) {
        assertViolation(admin().body(body).put("/api/routing").then().statusCode(400).extract().asString(), field,
                message);
    }

    @Test
    void checksOnePolicyWithPathsFromTheBodyRoot() {
        assertViolation(admin().body(json("{'strategy':'fastest'}")).put("/api/routing/auto").then().statusCode(400)
                .extract().asString(), "strategy", "unknown strategy 'fastest'; " + STRATEGIES);
        assertViolation(admin().body(json("{'providers':['" + KNOWN + "','" + KNOWN + "']}"))
                .put("/api/routing/models/m").then().statusCode(400).extract().asString(), "providers[1]",
                "duplicate provider '" + KNOWN + "' (also providers[0])");
        assertViolation(admin().body(json("{'weights':{'ghost':0}}")).put("/api/routing/models/m").then()
                .statusCode(400).extract().asString(), "weights.ghost", "got 0");
        assertViolation(admin().body(json("{'weights':{'ghost':0}}")).put("/api/routing/models/m").then()
                .statusCode(400).extract().asString(), "weights.ghost", "unknown provider 'ghost'");
        assertViolation(admin().body(json("{'fallback':'no'}")).put("/api/routing/models/m").then().statusCode(400)
                .extract().asString(), "fallback", "must be true or false, got 'no'");
        assertViolation(admin().body(json("{'strategy':'priority','extra':1}")).put("/api/routing/auto").then()
                .statusCode(400).extract().asString(), "extra", "unknown field");
    }

    @Test
    void rejectsABadModelIdInThePath() {
        assertViolation(admin().body("{}").put("/api/routing/models/auto").then().statusCode(400).extract()
                .asString(), "model", "'auto' is not a model id");
        assertViolation(admin().body("{}").put("/api/routing/models/gpt 4").then().statusCode(400).extract()
                .asString(), "model", "model id 'gpt 4' must be 1 to 256 printable ASCII characters");
        assertViolation(admin().delete("/api/routing/models/auto").then().statusCode(400).extract().asString(),
                "model", "'auto' is not a model id");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api/routing", "/api/routing/auto", "/api/routing/models/m" })
    void rejectsMalformedJson(String path) {
        admin().body("{\"auto\": {").put(path).then().statusCode(400)
                .body("error.code", equalTo("malformed_json"))
                .body("error.message", containsString("malformed JSON at line 1"));
        admin().body("").put(path).then().statusCode(400).body("error.code", equalTo("malformed_json"));
        admin().body("{\"strategy\":\"priority\",\"strategy\":\"weighted\"}").put(path).then().statusCode(400)
                .body("error.code", equalTo("malformed_json"))
                .body("error.message", containsString("Duplicate field"));
    }

    @Test
    void listsEveryViolationAtOnce() {
        String body = json("{'auto':{'strategy':'fast','fallback':'y'},'models':{'m':{'providers':['" + KNOWN
                + "','nope','" + KNOWN + "'],'weights':{'" + OTHER + "':0}},'auto':{}},'extra':1}");
        admin().body(body).put("/api/routing").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("validation_failed"))
                .body("error.param", equalTo("extra"))
                .body("error.violations.field", equalTo(List.of("extra", "auto.strategy", "auto.fallback",
                        "models.m.providers[2]", "models.m.weights." + OTHER, "models.m.providers[1]", "models")))
                .body("error.message", containsString("7 problems"));
    }

    @Test
    void aRejectedChangeLeavesThePoliciesAndTheRevisionAsTheyWere() {
        admin().body(json("{'auto':{'strategy':'priority'}}")).put("/api/routing").then().statusCode(200);
        String before = admin().get("/api/routing").then().statusCode(200).extract().asString();
        long revision = revision();

        admin().body(json("{'models':{'m':{'strategy':'priority'}},'auto':{'strategy':'nope'}}")).put("/api/routing")
                .then().statusCode(400);
        admin().body(json("{'providers':['ghost']}")).put("/api/routing/auto").then().statusCode(400);

        assertEquals(before, admin().get("/api/routing").then().statusCode(200).extract().asString());
        assertEquals(revision, revision());
    }

    private static long revision() {
        return service().get("/internal/snapshot").then().statusCode(200).extract().jsonPath().getLong("revision");
    }

    private static void assertViolation(String response, String field, String message) {
        JsonPath error = JsonPath.from(response);
        assertEquals("validation_failed", error.getString("error.code"), response);
        List<Map<String, String>> violations = error.getList("error.violations");
        boolean found = violations.stream()
                .anyMatch(v -> field.equals(v.get("field")) && v.get("message").contains(message));
        assertTrue(found, "expected a violation on '" + field + "' containing '" + message + "', got " + violations);
    }
}
