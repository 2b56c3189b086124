package io.visca.gateway.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.fakes.RecordedRequest;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RegistryServiceResource;
import io.visca.gateway.router.testing.RouterApi;

/**
 * The router never sends its own credentials upstream, whatever a provider config says. The surefire configuration
 * puts its service token in this JVM's environment as in production ({@code GATEWAY_SERVICE_TOKEN}) and an alias of
 * it under an allowed name ({@code ALIASED_SERVICE_TOKEN}); a real upstream records every request.
 */
@QuarkusTest
class ForbiddenSecretTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = RegistryServiceResource.SERVICE_TOKEN;

    private static FakeOpenAiServer upstream;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAiServer.start().models("alias-model", "stored-model").reply("should never be asked");
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider("alias-provider");
        RegistryAdmin.deleteProvider("stored-provider");
        RegistryAdmin.deleteProvider("stored-trigger");
        upstream.close();
    }

    private static Response chat(String model, boolean stream) {
        return RouterApi.request().body("{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").post("/v1/chat/completions");
    }

    private static JsonNode error(Response response) throws Exception {
        return JSON.readTree(response.asString()).path("error");
    }

    private static void assertTokenNeverSent() {
        assertTrue(TOKEN.equals(System.getenv("GATEWAY_SERVICE_TOKEN")), "the token is in the router's environment");
        for (RecordedRequest request : upstream.requests()) {
            assertFalse(request.toString().contains(TOKEN), "the service token went upstream");
            request.headers().forEach((name, value) -> assertFalse(value.contains(TOKEN), name));
            assertFalse(request.body().contains(TOKEN));
        }
        assertEquals(0, upstream.requests().size(), "no request goes out with a refused secret");
    }

    @Test
    void anAliasOfTheServiceTokenIsRefusedByItsValue() throws Exception {
        RegistryAdmin.putProvider("""
                {"name": "alias-provider", "type": "openai-compatible", "base_url": "%s",
                 "api_key": "${ALIASED_SERVICE_TOKEN}", "retry": {"max_retries": 0},
                 "models": [{"id": "alias-model"}]}""".formatted(upstream.baseUrl()));
        RouterApi.awaitModel("alias-model");

        for (boolean stream : new boolean[] { false, true }) {
            Response response = chat("alias-model", stream);
            assertEquals(502, response.statusCode(), response.asString());
            assertEquals("provider_misconfigured", error(response).path("code").asText());
            assertEquals("Provider 'alias-provider' is misconfigured: auth.api_key references "
                    + "${ALIASED_SERVICE_TOKEN}, which is refused: its value holds one of this service's own "
                    + "credentials.", error(response).path("message").asText());
            assertFalse(response.asString().contains(TOKEN));
        }
        assertTokenNeverSent();
    }

    @Test
    void aStoredReferenceToTheServiceTokenIsNeverResolved() throws Exception {
        RegistryAdmin.putProvider("""
                {"name": "stored-provider", "type": "openai-compatible", "base_url": "%s",
                 "api_key": "${RT_STORED_PLACEHOLDER_KEY}", "retry": {"max_retries": 0},
                 "models": [{"id": "stored-model"}]}""".formatted(upstream.baseUrl()));
        RouterApi.awaitModel("stored-model");
        // past the registry's save-time check: straight into its table, as a direct write could have left it
        Map<String, String> db = GatewayInfraResource.database("registry");
        try (Connection connection = DriverManager.getConnection("jdbc:" + db.get("url"), db.get("user"),
                db.get("password"));
                PreparedStatement update = connection.prepareStatement("update provider set document = "
                        + "replace(document, '${RT_STORED_PLACEHOLDER_KEY}', '${GATEWAY_SERVICE_TOKEN}') "
                        + "where name = 'stored-provider'")) {
            assertEquals(1, update.executeUpdate());
        }
        // any change makes the router fetch the whole snapshot again, the rewritten provider with it
        RegistryAdmin.putProvider("""
                {"name": "stored-trigger", "type": "openai-compatible", "base_url": "%s",
                 "auth": {"auth_type": "none"}, "models": [{"id": "stored-trigger-model"}]}"""
                .formatted(upstream.baseUrl()));
        RouterApi.awaitModel("stored-trigger-model");

        String expected = "Provider 'stored-provider' is misconfigured: auth.api_key references "
                + "${GATEWAY_SERVICE_TOKEN}, which is refused: names starting with GATEWAY_ are the gateway's own "
                + "settings and credentials, which provider configs can never read.";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Response response = chat("stored-model", false);
        while (!response.asString().contains("GATEWAY_SERVICE_TOKEN") && System.nanoTime() < deadline) {
            RouterApi.sleep(200);
            response = chat("stored-model", false);
        }
        assertEquals(502, response.statusCode(), response.asString());
        assertEquals(expected, error(response).path("message").asText());
        assertTokenNeverSent();
    }
}
