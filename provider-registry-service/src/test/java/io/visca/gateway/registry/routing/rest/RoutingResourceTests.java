package io.visca.gateway.registry.routing.rest;

import static io.restassured.RestAssured.given;
import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.service;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.infra.test.ManagementInterface;
import io.visca.gateway.registry.TestApi;

/**
 * The default routing policies through the admin API and the snapshot. The document is global state: each test
 * sets what it reads back, and the model ids it uses are its own.
 */
@QuarkusTest
class RoutingResourceTests {

    private String first;
    private String second;

    @BeforeEach
    void createProviders() {
        first = uniqueName("route-a");
        second = uniqueName("route-b");
        TestApi.create(TestApi.openAiProvider(first, "${TEST_API_KEY}"));
        TestApi.create(TestApi.openAiProvider(second, "${TEST_API_KEY}"));
    }

    @Test
    void readsBackTheDocumentItWasGivenWithMapsSortedByKey() {
        String body = json("{'auto':{'strategy':'cost-optimized','providers':['" + second + "','" + first + "'],"
                + "'fallback':true},'models':{'zz-model':{'strategy':'weighted','weights':{'" + second + "':1,'"
                + first + "':3}},'meta-llama/Llama-3-70b':{'fallback':false}}}");
        String expected = json("{'auto':{'strategy':'cost-optimized','providers':['" + second + "','" + first
                + "'],'fallback':true,'weights':{}},'models':{'meta-llama/Llama-3-70b':{'strategy':null,"
                + "'providers':[],'fallback':false,'weights':{}},'zz-model':{'strategy':'weighted','providers':[],"
                + "'fallback':null,'weights':{'" + first + "':3,'" + second + "':1}}}}");

        String answered = admin().body(body).put("/api/routing").then().statusCode(200).extract().asString();
        assertEquals(expected, answered);
        assertEquals(expected, admin().get("/api/routing").then().statusCode(200).extract().asString());
    }

    @Test
    void aReplaceDeletesThePoliciesItLeavesOut() {
        admin().body(json("{'auto':{'strategy':'priority'},'models':{'kept':{},'dropped':{}}}")).put("/api/routing")
                .then().statusCode(200);
        admin().body(json("{'models':{'kept':{'strategy':'round-robin'}}}")).put("/api/routing").then()
                .statusCode(200);
        admin().get("/api/routing").then().statusCode(200)
                .body("auto", nullValue())
                .body("models.keySet()", equalTo(Set.of("kept")))
                .body("models.kept.strategy", equalTo("round-robin"));

        admin().body("{}").put("/api/routing").then().statusCode(200);
        admin().get("/api/routing").then().statusCode(200).body("auto", nullValue()).body("models", equalTo(Map.of()));
    }

    @Test
    void setsAndDeletesThePolicyOfAuto() {
        admin().body("{}").put("/api/routing").then().statusCode(200);
        admin().body(json("{'strategy':'latency-optimized','providers':['" + first + "']}")).put("/api/routing/auto")
                .then().statusCode(200)
                .body("strategy", equalTo("latency-optimized"))
                .body("providers", equalTo(List.of(first)))
                .body("fallback", nullValue());
        admin().get("/api/routing").then().body("auto.strategy", equalTo("latency-optimized"))
                .body("models", equalTo(Map.of()));

        admin().delete("/api/routing/auto").then().statusCode(204);
        admin().get("/api/routing").then().body("auto", nullValue());
        admin().delete("/api/routing/auto").then().statusCode(404)
                .body("error.code", equalTo("routing_policy_not_found"))
                .body("error.message", equalTo("no routing policy is set for auto"));
    }

    @Test
    void setsAndDeletesThePolicyOfOneModelLeavingTheOthers() {
        String model = uniqueName("model");
        String slashed = "acme/" + uniqueName("model");
        admin().body(json("{'auto':{'strategy':'priority'},'models':{'" + model + "':{'strategy':'priority'}}}"))
                .put("/api/routing").then().statusCode(200);

        admin().body(json("{'strategy':'least-busy','providers':['" + first + "','" + second + "']}"))
                .put("/api/routing/models/" + slashed).then().statusCode(200)
                .body("strategy", equalTo("least-busy"))
                .body("providers", equalTo(List.of(first, second)));
        admin().body(json("{'strategy':'weighted','weights':{'" + first + "':2}}"))
                .put("/api/routing/models/" + model).then().statusCode(200);
        JsonPath both = admin().get("/api/routing").then().statusCode(200).extract().jsonPath();
        assertEquals("priority", both.getString("auto.strategy"));
        assertEquals("least-busy", both.getString("models.'" + slashed + "'.strategy"));
        assertEquals(Map.of(first, 2), both.getMap("models.'" + model + "'.weights"));

        admin().delete("/api/routing/models/" + slashed).then().statusCode(204);
        admin().get("/api/routing").then().statusCode(200)
                .body("models", not(hasKey(slashed)))
                .body("models", hasKey(model))
                .body("auto.strategy", equalTo("priority"));
        admin().delete("/api/routing/models/" + slashed).then().statusCode(404)
                .body("error.code", equalTo("routing_policy_not_found"))
                .body("error.message", equalTo("no routing policy is set for model '" + slashed + "'"));
    }

    @Test
    void acceptsAModelNoProviderServesAndAPolicyWithoutStrategy() {
        String model = uniqueName("not-served");
        admin().body("{}").put("/api/routing/models/" + model).then().statusCode(200)
                .body("strategy", nullValue())
                .body("providers", equalTo(List.of()))
                .body("fallback", nullValue())
                .body("weights", equalTo(Map.of()));
        admin().get("/api/routing").then().body("models", hasKey(model));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "GET,/api/routing", "PUT,/api/routing", "PUT,/api/routing/auto", "DELETE,/api/routing/auto",
            "PUT,/api/routing/models/gpt-4o", "DELETE,/api/routing/models/gpt-4o" })
    void refusesEveryRoutingCallWithoutTheAdminToken(String method, String path) {
        given().contentType("application/json").body("{}").request(method, path).then().statusCode(401)
                .body("error.code", equalTo("missing_token"));
        given().header("Authorization", "Bearer " + TestApi.SERVICE_TOKEN).contentType("application/json")
                .body("{}").request(method, path).then().statusCode(401)
                .body("error.code", equalTo("invalid_token"));
    }

    @Test
    void theSnapshotCarriesThePoliciesAtTheRevisionOfTheirChange() {
        String model = uniqueName("snap-model");
        admin().body(json("{'auto':{'strategy':'cost-optimized','fallback':true},'models':{'" + model
                + "':{'strategy':'weighted','providers':['" + first + "','" + second + "'],'weights':{'" + first
                + "':5}}}}")).put("/api/routing").then().statusCode(200);
        long revision = revision();

        JsonPath snapshot = service().get("/internal/snapshot").then().statusCode(200).extract().jsonPath();
        assertEquals(revision, snapshot.getLong("revision"));
        assertEquals("cost-optimized", snapshot.getString("routing.auto.strategy"));
        assertEquals(true, snapshot.getBoolean("routing.auto.fallback"));
        assertEquals(Map.of(model, Map.of("strategy", "weighted", "providers", List.of(first, second),
                "weights", Map.of(first, 5))), withoutNulls(snapshot.getMap("routing.models")));
    }

    @Test
    void eachChangeGrowsTheRevisionOnceAndANoOpKeepsIt() {
        String model = uniqueName("rev-model");
        admin().body("{}").put("/api/routing").then().statusCode(200);
        long start = revision();

        admin().body(json("{'auto':{},'models':{'" + model + "':{},'other-" + model + "':{}}}")).put("/api/routing")
                .then().statusCode(200);
        assertEquals(start + 1, revision(), "a replace of three policies is one change");
        admin().body(json("{'models':{'" + model + "':{},'other-" + model + "':{}},'auto':{}}")).put("/api/routing")
                .then().statusCode(200);
        assertEquals(start + 1, revision(), "the same document again changes nothing");

        admin().body(json("{'strategy':'priority'}")).put("/api/routing/models/" + model).then().statusCode(200);
        assertEquals(start + 2, revision());
        admin().body(json("{'strategy':'priority'}")).put("/api/routing/models/" + model).then().statusCode(200);
        assertEquals(start + 2, revision());
        admin().delete("/api/routing/models/" + model).then().statusCode(204);
        assertEquals(start + 3, revision());
        admin().body(json("{'fallback':false}")).put("/api/routing/auto").then().statusCode(200);
        assertEquals(start + 4, revision());
        admin().delete("/api/routing/auto").then().statusCode(204);
        assertEquals(start + 5, revision());
    }

    @Test
    void aProviderAPolicyNamesCanBeDeletedAndTheUnchangedPolicyStaysSaveable() {
        String model = uniqueName("stale-model");
        admin().body(json("{'providers':['" + first + "','" + second + "'],'weights':{'" + second + "':2}}"))
                .put("/api/routing/models/" + model).then().statusCode(200);
        admin().delete("/api/providers/" + second).then().statusCode(204);

        String document = admin().get("/api/routing").then().statusCode(200)
                .body("models.'" + model + "'.providers", equalTo(List.of(first, second)))
                .extract().asString();
        admin().body(document).put("/api/routing").then().statusCode(200);
        admin().body(json("{'strategy':'priority','providers':['" + first + "','" + second + "'],'weights':{'"
                + second + "':2}}")).put("/api/routing/models/" + model).then().statusCode(400)
                .body("error.violations.field", equalTo(List.of("providers[1]", "weights." + second)));
        admin().body(json("{'strategy':'priority','providers':['" + first + "']}"))
                .put("/api/routing/models/" + model).then().statusCode(200);
    }

    @Test
    void documentsTheRoutesInOpenApi() {
        given().baseUri(ManagementInterface.url()).get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/routing'.get.summary", equalTo("The default routing policies"))
                .body("paths", hasKey("/api/routing/auto"))
                .body("paths", hasKey("/api/routing/models/{model}"))
                .body("components.schemas.RoutingPolicy.properties", hasKey("weights"));
    }

    private static long revision() {
        return service().get("/internal/snapshot").then().statusCode(200).extract().jsonPath().getLong("revision");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        Map<String, Object> copy = new HashMap<>();
        map.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                copy.put(key, withoutNulls((Map<String, Object>) nested));
            } else if (value != null) {
                copy.put(key, value);
            }
        });
        return copy;
    }
}
