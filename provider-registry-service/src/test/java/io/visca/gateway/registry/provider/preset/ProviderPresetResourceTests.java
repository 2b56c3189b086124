package io.visca.gateway.registry.provider.preset;

import static io.restassured.RestAssured.given;
import static io.visca.gateway.registry.TestApi.admin;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** {@code GET /api/provider-presets}: the data file as the API serves it, behind the admin token. */
@QuarkusTest
class ProviderPresetResourceTests {

    @Test
    void servesThePresetsOfTheDataFile() {
        int count = ProviderPresets.read().presets().size();
        admin().get("/api/provider-presets").then().statusCode(200)
                .body("size()", equalTo(count))
                .body("[0].id", equalTo("vllm"))
                .body("[0].type", equalTo("openai-compatible"))
                .body("[0].base_url", equalTo("http://localhost:8000/v1"))
                .body("find { it.id == 'together' }.auth.auth_type", equalTo("bearer"))
                .body("find { it.id == 'together' }.auth.api_key", equalTo("${TOGETHER_API_KEY}"))
                .body("find { it.id == 'huggingface' }.auth.api_key", equalTo("${HF_TOKEN}"))
                .body("find { it.id == 'ollama' }.health_check_endpoint", equalTo("/"))
                .body("find { it.id == 'replicate' }.example", equalTo("replicate.json"));
    }

    @Test
    void needsTheAdminToken() {
        given().get("/api/provider-presets").then().statusCode(401).body("error.code", equalTo("missing_token"));
    }
}
