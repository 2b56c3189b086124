package io.visca.gateway.registry.snapshot;

import static io.restassured.RestAssured.given;
import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.service;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.registry.TestApi;

@QuarkusTest
class InternalResourceTests {

    @Test
    void refusesTheSnapshotWithoutTheServiceToken() {
        given().get("/internal/snapshot").then().statusCode(401).body("error.code", equalTo("missing_token"));
        given().header("Authorization", "Bearer nope").get("/internal/snapshot").then().statusCode(401);
        given().get("/internal/providers/anything").then().statusCode(401);
    }

    @Test
    void snapshotHoldsEveryProviderWithEncryptedLiteralSecretsAndTheCurrentRevision() {
        String enabled = uniqueName("snap-on");
        String disabled = uniqueName("snap-off");
        TestApi.create(TestApi.openAiProvider(enabled, "sk-literal-for-the-router"));
        TestApi.create(TestApi.openAiProvider(disabled, "${OPENAI_API_KEY}"));
        long before = revision();
        admin().body("{\"enabled\":false}").patch("/api/providers/" + disabled).then().statusCode(200);

        JsonPath snapshot = service().get("/internal/snapshot").then().statusCode(200)
                .body("generated_at", notNullValue())
                .extract().jsonPath();
        assertEquals(before + 1, snapshot.getLong("revision"));
        Map<String, Object> on = provider(snapshot, enabled);
        Map<String, Object> off = provider(snapshot, disabled);
        assertEquals(true, on.get("enabled"));
        // literal secrets travel encrypted (issue 13); the router opens them with the secrets key
        assertEquals("sk-literal-for-the-router", TestApi.opened(enabled, "auth.api_key",
                ((Map<?, ?>) on.get("auth")).get("api_key")));
        assertEquals(false, off.get("enabled"));
        assertEquals("${OPENAI_API_KEY}", ((Map<?, ?>) off.get("auth")).get("api_key"));
    }

    @Test
    void aChangeThatChangesNothingKeepsTheRevision() {
        String name = uniqueName("snap-noop");
        TestApi.create(TestApi.openAiProvider(name, "${TEST_API_KEY}"));
        long before = revision();
        admin().body("{\"enabled\":true}").patch("/api/providers/" + name).then().statusCode(200);
        admin().body(TestApi.openAiProvider(name, "${TEST_API_KEY}")).put("/api/providers/" + name).then().statusCode(200);
        assertEquals(before, revision());
    }

    @Test
    void servesOneProviderWithItsSecretsEncrypted() {
        String name = uniqueName("snap-one");
        TestApi.create(TestApi.openAiProvider(name, "sk-one"));
        String stored = service().get("/internal/providers/" + name).then().statusCode(200)
                .body("name", equalTo(name))
                .extract().path("auth.api_key");
        assertEquals("sk-one", TestApi.opened(name, "auth.api_key", stored));
        service().get("/internal/providers/" + uniqueName("snap-none")).then().statusCode(404);
    }

    static long revision() {
        return service().get("/internal/snapshot").then().statusCode(200).extract().jsonPath().getLong("revision");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> provider(JsonPath snapshot, String name) {
        List<Map<String, Object>> providers = snapshot.getList("providers");
        Map<String, Object> found = providers.stream().filter(p -> name.equals(p.get("name"))).findFirst()
                .orElse(null);
        assertTrue(found != null, name + " is missing from the snapshot");
        return found;
    }
}
