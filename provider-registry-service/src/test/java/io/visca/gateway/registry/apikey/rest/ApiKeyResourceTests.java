package io.visca.gateway.registry.apikey.rest;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.service;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class ApiKeyResourceTests {

    @Test
    void showsANewKeyOnceAndStoresOnlyItsHash() throws Exception {
        JsonPath created = admin().body("{\"name\": \"ci pipeline\"}").post("/api/keys").then().statusCode(201)
                .header("Location", containsString("/api/keys/"))
                .body("name", equalTo("ci pipeline"))
                .body("key", matchesPattern("vsk_[A-Za-z0-9_-]{43}"))
                .extract().jsonPath();
        String id = created.getString("id");
        String key = created.getString("key");
        assertEquals(key.substring(0, 8), created.getString("key_prefix"));

        String listed = admin().get("/api/keys").then().statusCode(200)
                .body("id", hasItem(id))
                .body("find { it.id == '" + id + "' }.key_prefix", equalTo(key.substring(0, 8)))
                .body("find { it.id == '" + id + "' }.created_at", not(equalTo(null)))
                .extract().asString();
        assertFalse(listed.contains(key), listed);
        assertFalse(listed.contains(sha256(key)), "the list shows no hash either");

        service().get("/internal/snapshot").then().statusCode(200)
                .body("api_keys.find { it.id == '" + id + "' }.key_hash", equalTo(sha256(key)))
                .body("api_keys.find { it.id == '" + id + "' }.name", equalTo("ci pipeline"))
                .body(not(containsString(key)));
    }

    @Test
    void makesADifferentKeyEachTime() {
        String first = admin().body("{\"name\":\"a\"}").post("/api/keys").then().statusCode(201).extract()
                .path("key");
        String second = admin().body("{\"name\":\"a\"}").post("/api/keys").then().statusCode(201).extract()
                .path("key");
        assertNotEquals(first, second);
    }

    @Test
    void revokedKeysLeaveTheListAndTheSnapshot() {
        String id = admin().body("{\"name\":\"temporary\"}").post("/api/keys").then().statusCode(201).extract()
                .path("id");
        admin().delete("/api/keys/" + id).then().statusCode(204);
        admin().get("/api/keys").then().body("id", not(hasItem(id)));
        service().get("/internal/snapshot").then().body("api_keys.id", not(hasItem(id)));
        admin().delete("/api/keys/" + id).then().statusCode(404).body("error.code", equalTo("api_key_not_found"));
    }

    @Test
    void answers404ForAnUnknownKey() {
        admin().delete("/api/keys/00000000-0000-0000-0000-000000000000").then().statusCode(404)
                .body("error.type", equalTo("not_found_error"));
    }

    @Test
    void needsANameAndNothingElse() {
        admin().body("{}").post("/api/keys").then().statusCode(400)
                .body("error.violations[0].field", equalTo("name"));
        admin().body("{\"name\":\"x\",\"scopes\":[]}").post("/api/keys").then().statusCode(400)
                .body("error.violations[0].field", equalTo("scopes"));
        admin().body("{\"name\":\"" + "n".repeat(101) + "\"}").post("/api/keys").then().statusCode(400)
                .body("error.violations[0].message", endsWith("at most 100 characters"));
        admin().body("{\"name\":").post("/api/keys").then().statusCode(400)
                .body("error.code", equalTo("malformed_json"));
    }

    static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
