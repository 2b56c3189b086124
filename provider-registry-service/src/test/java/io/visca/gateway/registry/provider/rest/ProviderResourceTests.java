package io.visca.gateway.registry.provider.rest;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.openAiProvider;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ProviderResourceTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void createsReadsReplacesAndDeletesAProvider() {
        String name = uniqueName("crud");
        admin().body(openAiProvider(name, "${OPENAI_API_KEY}")).post("/api/providers").then()
                .statusCode(201)
                .header("Location", endsWith("/api/providers/" + name))
                .body("name", equalTo(name))
                .body("enabled", equalTo(true));

        admin().get("/api/providers/" + name).then().statusCode(200)
                .body("type", equalTo("openai-compatible"))
                .body("models[0].id", equalTo("gpt-4o-mini"))
                .body("models[0].mode", equalTo("chat"))
                .body("timeouts.connect_ms", equalTo(5000))
                .body("retry.max_retries", equalTo(1))
                .body("health_check.success_threshold", equalTo(1));
        admin().get("/api/providers").then().statusCode(200).body("name", hasItem(name));

        String replaced = json("{'type':'openai-compatible','base_url':'https://other.example.com/v1',"
                + "'models':[{'id':'gpt-4.1','context_window':1000000}]}");
        admin().body(replaced).put("/api/providers/" + name).then().statusCode(200)
                .body("name", equalTo(name))
                .body("endpoints[0].base_url", equalTo("https://other.example.com/v1"))
                .body("auth.auth_type", equalTo("none"));
        admin().get("/api/providers/" + name).then().statusCode(200)
                .body("models.size()", equalTo(1))
                .body("models[0].id", equalTo("gpt-4.1"))
                .body("models[0].context_window", equalTo(1000000));

        admin().delete("/api/providers/" + name).then().statusCode(204);
        admin().get("/api/providers/" + name).then().statusCode(404)
                .body("error.type", equalTo("not_found_error"))
                .body("error.code", equalTo("provider_not_found"));
        admin().get("/api/providers").then().body("name", not(hasItem(name)));
    }

    @Test
    void expandsTheBaseUrlAndApiKeyShorthands() {
        String name = uniqueName("shorthand");
        admin().body(openAiProvider(name, "${OPENAI_API_KEY}")).post("/api/providers").then().statusCode(201)
                .body("endpoints.size()", equalTo(1))
                .body("endpoints[0].id", equalTo("api.example.com"))
                .body("endpoints[0].base_url", equalTo("https://api.example.com/v1"))
                .body("endpoints[0].weight", equalTo(1))
                .body("auth.auth_type", equalTo("bearer"))
                .body("auth.api_key", equalTo("${OPENAI_API_KEY}"));
    }

    @Test
    void derivesUniqueEndpointIdsFromHostAndPort() {
        String name = uniqueName("ids");
        String body = json("{'name':'" + name + "','type':'openai-compatible','endpoints':["
                + "{'base_url':'http://10.0.0.5:8000/v1'},{'base_url':'http://10.0.0.5:8000/v1/','weight':3},"
                + "{'base_url':'https://gpu.example.com/v1'},{'id':'gpu.example.com-2','base_url':'https://x.example.com'},"
                + "{'base_url':'https://GPU.example.com/v2'}],'models':[{'id':'m'}]}");
        admin().body(body).post("/api/providers").then().statusCode(201)
                .body("endpoints.id", equalTo(java.util.List.of("10.0.0.5:8000", "10.0.0.5:8000-2", "gpu.example.com",
                        "gpu.example.com-2", "gpu.example.com-3")))
                .body("endpoints[1].base_url", equalTo("http://10.0.0.5:8000/v1"))
                .body("endpoints[1].weight", equalTo(3));
    }

    @Test
    void defaultsTheModelModeFromItsId() {
        String name = uniqueName("modes");
        String body = json("{'name':'" + name + "','type':'openai-compatible','base_url':'https://a.example.com',"
                + "'models':[{'id':'text-embedding-3-small'},{'id':'gpt-4o'},{'id':'davinci','mode':'completion'}]}");
        admin().body(body).post("/api/providers").then().statusCode(201)
                .body("models.mode", equalTo(java.util.List.of("embedding", "chat", "completion")));
    }

    @Test
    void keepsPricesExactAsWritten() {
        String name = uniqueName("prices");
        String body = json("{'name':'" + name + "','type':'openai-compatible','base_url':'https://a.example.com',"
                + "'models':[{'id':'m','cost_per_1k_input':0.00000015,'cost_per_1k_output':0.10,"
                + "'cost_per_1k_cached_input':'0.000075'}]}");
        admin().body(body).post("/api/providers").then().statusCode(201);
        String read = admin().get("/api/providers/" + name).then().statusCode(200).extract().asString();
        assertTrue(read.contains("\"cost_per_1k_input\":0.00000015"), read);
        assertTrue(read.contains("\"cost_per_1k_output\":0.10"), read);
        assertTrue(read.contains("\"cost_per_1k_cached_input\":0.000075"), read);
    }

    static Stream<Path> examples() throws IOException {
        return Files.list(Path.of("src/test/resources/examples")).filter(p -> p.toString().endsWith(".json"))
                .sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void acceptsEveryExampleAsWritten(Path example) throws IOException {
        String body = Files.readString(example);
        String name = JSON.readTree(body).get("name").asText();
        admin().delete("/api/providers/" + name);
        admin().body(body).post("/api/providers").then().statusCode(201).body("name", equalTo(name));

        // what the API returns can be sent back as it is
        String read = admin().get("/api/providers/" + name).then().statusCode(200).extract().asString();
        admin().body(read).put("/api/providers/" + name).then().statusCode(200);
        admin().get("/api/providers/" + name).then().statusCode(200).body(equalTo(read));
    }

    @Test
    void rejectsADuplicateNameWith409() {
        String name = uniqueName("dup");
        admin().body(openAiProvider(name, "${TEST_API_KEY}")).post("/api/providers").then().statusCode(201);
        admin().body(openAiProvider(name, "${TEST_API_KEY}")).post("/api/providers").then().statusCode(409)
                .body("error.type", equalTo("conflict_error"))
                .body("error.code", equalTo("provider_exists"))
                .body("error.param", equalTo("name"))
                .body("request_id", notNullValue());
    }

    @Test
    void answers404ForAnUnknownProvider() {
        String name = uniqueName("missing");
        admin().get("/api/providers/" + name).then().statusCode(404).body("error.message", containsString(name));
        admin().body(openAiProvider(name, "${TEST_API_KEY}")).put("/api/providers/" + name).then().statusCode(404);
        admin().body("{\"enabled\":false}").patch("/api/providers/" + name).then().statusCode(404);
        admin().delete("/api/providers/" + name).then().statusCode(404).body("error.code",
                equalTo("provider_not_found"));
    }

    @Test
    void refusesToRenameThroughPut() {
        String name = uniqueName("rename");
        admin().body(openAiProvider(name, "${TEST_API_KEY}")).post("/api/providers").then().statusCode(201);
        admin().body(openAiProvider(name + "-new", "${TEST_API_KEY}")).put("/api/providers/" + name).then().statusCode(400)
                .body("error.violations[0].field", equalTo("name"));
    }

    @Test
    void patchDisablesAndEnablesAProvider() {
        String name = uniqueName("toggle");
        admin().body(openAiProvider(name, "${TEST_API_KEY}")).post("/api/providers").then().statusCode(201);
        admin().body("{\"enabled\": false}").patch("/api/providers/" + name).then().statusCode(200)
                .body("enabled", equalTo(false));
        admin().get("/api/providers/" + name).then().body("enabled", equalTo(false));

        // a PUT without "enabled" keeps the state
        admin().body(openAiProvider(name, "${TEST_API_KEY}")).put("/api/providers/" + name).then().statusCode(200)
                .body("enabled", equalTo(false));

        admin().body("{\"enabled\": true}").patch("/api/providers/" + name).then().statusCode(200)
                .body("enabled", equalTo(true));
        admin().get("/api/providers/" + name).then().body("enabled", equalTo(true));
    }

    @Test
    void patchNeedsABooleanEnabledAndNothingElse() {
        String name = uniqueName("patch");
        admin().body(openAiProvider(name, "${TEST_API_KEY}")).post("/api/providers").then().statusCode(201);
        admin().body("{\"enabled\": \"no\", \"weight\": 2}").patch("/api/providers/" + name).then().statusCode(400)
                .body("error.violations.field", hasItem("enabled"))
                .body("error.violations.field", hasItem("weight"));
        admin().body("{}").patch("/api/providers/" + name).then().statusCode(400)
                .body("error.violations[0].message", containsString("required"));
    }

    @Test
    void malformedJsonIsA400SayingWhere() {
        admin().body("{\n  \"name\": \"x\",\n  \"type\": openai\n}").post("/api/providers").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("malformed_json"))
                .body("error.message", containsString("line 3, column"))
                .body("error.message", not(containsString("openai")));
        admin().body("{\"name\": \"x\"").post("/api/providers").then().statusCode(400)
                .body("error.message", containsString("line 1, column"))
                .body("error.message", not(containsString("Source")));
        admin().body("").post("/api/providers").then().statusCode(400).body("error.code", equalTo("malformed_json"));
        admin().body("{\"name\":\"a\"} trailing").post("/api/providers").then().statusCode(400)
                .body("error.code", equalTo("malformed_json"));
        admin().body("{\"name\":\"a\",\"name\":\"b\"}").post("/api/providers").then().statusCode(400)
                .body("error.message", containsString("Duplicate field"));
    }

    @Test
    void answersUnknownRoutesMethodsAndMediaTypesInTheErrorShape() {
        admin().get("/api/nothing-here").then().statusCode(404).body("error.code", equalTo("route_not_found"));
        admin().body("{}").post("/api/providers/some-name").then().statusCode(405)
                .body("error.code", equalTo("method_not_allowed"));
        admin().contentType("text/plain").body("{}").post("/api/providers").then().statusCode(415)
                .body("error.type", equalTo("invalid_request_error"))
                .body("request_id", notNullValue());
    }

    @Test
    void readsBackWhatItStoredForAFullDocument() throws IOException {
        String name = uniqueName("full");
        ObjectNode doc = (ObjectNode) JSON
                .readTree(Files.readString(Path.of("src/test/resources/examples/llama-cluster.json")));
        doc.put("name", name);
        doc.put("enabled", false);
        admin().body(doc.toString()).post("/api/providers").then().statusCode(201);
        admin().get("/api/providers/" + name).then().statusCode(200)
                .body("enabled", equalTo(false))
                .body("endpoints.id", equalTo(java.util.List.of("llama-1.example.com", "llama-2.example.com",
                        "llama-3.example.com")))
                .body("endpoints[2].weight", equalTo(2))
                .body("models[0].upstream_model", equalTo("meta-llama/Meta-Llama-3-70B-Instruct"))
                .body("health_check.interval_seconds", equalTo(60))
                .body("health_check.failure_threshold", equalTo(3))
                .body("timeouts.first_byte_ms", equalTo(30000))
                .body("rate_limit.requests_per_minute", equalTo(600))
                .body("rate_limit.max_concurrent", equalTo(64));
    }
}
