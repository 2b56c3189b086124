package io.visca.gateway.registry.apikey.rest;

import static io.restassured.RestAssured.given;
import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.service;
import static io.visca.gateway.registry.apikey.rest.ApiKeyResourceTests.sha256;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.registry.LogCapture;

/** Rotation: a new secret shown once, the replaced one accepted by the router until its grace ends. */
@QuarkusTest
class KeyRotationTests {

    @Test
    void theNewKeyWorksAtOnceAndTheOldOneUntilItsGraceEnds() throws Exception {
        JsonPath created = admin().body(json("{'name':'rotating','requests_per_minute':30}")).post("/api/keys")
                .then().statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        String old = created.getString("key");
        long revision = revision();

        Instant before = Instant.now();
        JsonPath rotated = admin().body(json("{'grace_seconds':3600}")).post("/api/keys/" + id + "/rotate").then()
                .statusCode(200)
                .body("id", equalTo(id)).body("name", equalTo("rotating"))
                .body("key", matchesPattern("vsk_[A-Za-z0-9_-]{43}"))
                .extract().jsonPath();
        String fresh = rotated.getString("key");
        assertNotEquals(old, fresh);
        assertEquals(fresh.substring(0, 8), rotated.getString("key_prefix"));
        Instant graceEnd = Instant.parse(rotated.getString("previous_valid_until"));
        assertTrue(!graceEnd.isBefore(before.plusSeconds(3600)) && graceEnd.isBefore(Instant.now().plusSeconds(3601)),
                graceEnd.toString());
        assertEquals(revision + 1, revision(), "a rotation is a registry change");

        Map<String, Object> routed = routed(id);
        assertEquals(sha256(fresh), routed.get("key_hash"));
        assertEquals(sha256(old), routed.get("previous_key_hash"));
        assertEquals(graceEnd, Instant.parse((String) routed.get("previous_valid_until")));
        assertEquals(30, ((Map<?, ?>) routed.get("limits")).get("requests_per_minute"), "the policy is kept");

        admin().get("/api/keys/" + id).then().statusCode(200)
                .body("key_prefix", equalTo(fresh.substring(0, 8)))
                .body("previous_valid_until", equalTo(graceEnd.toString()))
                .body("requests_per_minute", equalTo(30));
    }

    @Test
    void withoutAGraceTheOldKeyStopsAtOnce() {
        String id = newKey("no-grace");
        admin().post("/api/keys/" + id + "/rotate").then().statusCode(200)
                .body("previous_valid_until", nullValue());
        admin().body(json("{'grace_seconds':0}")).post("/api/keys/" + id + "/rotate").then().statusCode(200)
                .body("previous_valid_until", nullValue());
        Map<String, Object> routed = routed(id);
        assertNull(routed.get("previous_key_hash"));
        assertNull(routed.get("previous_valid_until"));
    }

    @Test
    void rotatingAgainReplacesThePreviousKey() throws Exception {
        String id = newKey("twice");
        String first = admin().body(json("{'grace_seconds':600}")).post("/api/keys/" + id + "/rotate").then()
                .statusCode(200).extract().path("key");
        String second = admin().body(json("{'grace_seconds':600}")).post("/api/keys/" + id + "/rotate").then()
                .statusCode(200).extract().path("key");
        Map<String, Object> routed = routed(id);
        assertEquals(sha256(second), routed.get("key_hash"));
        assertEquals(sha256(first), routed.get("previous_key_hash"), "only the key just replaced is kept");
        admin().post("/api/keys/" + id + "/rotate").then().statusCode(200);
        assertNull(routed(id).get("previous_key_hash"), "grace 0 drops the previous key too");
    }

    @Test
    void anEndedGraceLeavesTheSnapshot() throws Exception {
        String id = newKey("short-grace");
        admin().body(json("{'grace_seconds':1}")).post("/api/keys/" + id + "/rotate").then().statusCode(200);
        assertTrue(routed(id).get("previous_key_hash") != null, "within its grace");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (routed(id).get("previous_key_hash") != null && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertNull(routed(id).get("previous_key_hash"));
        assertNull(routed(id).get("previous_valid_until"));
        admin().get("/api/keys/" + id).then().body("previous_valid_until", nullValue());
    }

    @Test
    void refusesABadGraceAndUnknownKeys() {
        String id = newKey("bad-grace");
        for (String grace : List.of("-1", "604801", "'soon'", "1.5")) {
            admin().body(json("{'grace_seconds':" + grace + "}")).post("/api/keys/" + id + "/rotate").then()
                    .statusCode(400).body("error.violations[0].field", equalTo("grace_seconds"))
                    .body("error.violations[0].message", equalTo("must be an integer from 0 to 604800 seconds"));
        }
        admin().body(json("{'grace':5}")).post("/api/keys/" + id + "/rotate").then().statusCode(400)
                .body("error.violations[0].message", equalTo("unknown field; expected one of: grace_seconds"));
        admin().post("/api/keys/00000000-0000-0000-0000-000000000000/rotate").then().statusCode(404)
                .body("error.code", equalTo("api_key_not_found"));
        admin().delete("/api/keys/" + id).then().statusCode(204);
        admin().post("/api/keys/" + id + "/rotate").then().statusCode(404);
        given().post("/api/keys/" + id + "/rotate").then().statusCode(401);
        String live = newKey("no-content-type");
        given().header("Authorization", "Bearer " + io.visca.gateway.registry.TestApi.ADMIN_TOKEN)
                .post("/api/keys/" + live + "/rotate").then().statusCode(200)
                .body("previous_valid_until", nullValue());
    }

    @Test
    void neverAnswersNorLogsAKeyOrItsHash() throws Exception {
        List<String> answers = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        List<String> logged = LogCapture.of("io.visca", () -> {
            JsonPath created = admin().body(json("{'name':'secretive','max_budget_usd':3}")).post("/api/keys")
                    .then().statusCode(201).extract().jsonPath();
            String id = created.getString("id");
            secrets.add(created.getString("key"));
            String rotated = admin().body(json("{'grace_seconds':60}")).post("/api/keys/" + id + "/rotate").then()
                    .statusCode(200).extract().asString();
            secrets.add(JsonPath.from(rotated).getString("key"));
            answers.add(admin().get("/api/keys/" + id).then().statusCode(200).extract().asString());
            answers.add(admin().get("/api/keys").then().statusCode(200).extract().asString());
            answers.add(admin().body(json("{'name':'still secretive'}")).patch("/api/keys/" + id).then()
                    .statusCode(200).extract().asString());
            answers.add(admin().body(json("{'grace_seconds':-5}")).post("/api/keys/" + id + "/rotate").then()
                    .statusCode(400).extract().asString());
        });
        for (String secret : secrets) {
            for (String answer : answers) {
                assertFalse(answer.contains(secret), "a later answer shows a key: " + answer);
                assertFalse(answer.contains(sha256(secret)), "an answer shows a key's hash: " + answer);
            }
            for (String line : logged) {
                assertFalse(line.contains(secret) || line.contains(sha256(secret)), "logged: " + line);
            }
        }
        answers.forEach(answer -> assertFalse(answer.contains("key_hash"), answer));
    }

    private static String newKey(String name) {
        return admin().body(json("{'name':'" + name + "'}")).post("/api/keys").then().statusCode(201).extract()
                .path("id");
    }

    private static Map<String, Object> routed(String id) {
        return service().get("/internal/snapshot").then().statusCode(200).extract().jsonPath()
                .getMap("api_keys.find { it.id == '" + id + "' }");
    }

    private static long revision() {
        return service().get("/internal/snapshot").then().statusCode(200).extract().jsonPath().getLong("revision");
    }
}
