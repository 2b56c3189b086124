package io.visca.gateway.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;

/**
 * A router with {@code GATEWAY_OUTBOUND_LOOPBACK=deny}: providers on this machine (127.0.0.1, or the name
 * {@code localhost}, looked up for real) are refused at connect time, and the fake listening there sees no request.
 * The registry (default policy) saved them; the router's own setting decides.
 */
@QuarkusTest
@TestProfile(LoopbackDeniedTests.LoopbackDenied.class)
class LoopbackDeniedTests {

    /** The router's setting, as {@code GATEWAY_OUTBOUND_LOOPBACK=deny} sets it. */
    public static class LoopbackDenied implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("router.outbound.loopback", "deny");
        }
    }

    private static FakeOpenAiServer local;

    @BeforeAll
    static void providers() {
        local = FakeOpenAiServer.start().models("loopback-model", "localhost-model").reply("never");
        RegistryAdmin.putProvider("""
                {"name": "loopback-ai", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "health_check": {"enabled": false}, "models": [{"id": "loopback-model"}]}""".formatted(local.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "localhost-ai", "type": "openai-compatible", "base_url": "http://localhost:%d/v1",
                 "auth": {"auth_type": "none"}, "health_check": {"enabled": false},
                 "models": [{"id": "localhost-model"}]}""".formatted(local.port()));
        RouterApi.awaitModel("loopback-model");
        RouterApi.awaitModel("localhost-model");
    }

    @AfterAll
    static void stop() {
        for (String name : List.of("loopback-ai", "localhost-ai")) {
            RegistryAdmin.deleteProvider(name);
        }
        local.close();
    }

    @Test
    void providersOnThisMachineAreRefusedAndGetNoRequest() {
        for (String model : List.of("loopback-model", "localhost-model")) {
            Response refused = RouterApi.request().body("{\"model\":\"" + model + "\",\"stream\":true,\"messages\":"
                    + "[{\"role\":\"user\",\"content\":\"hi\"}]}").post("/v1/chat/completions");
            assertEquals(502, refused.statusCode(), refused.asString());
            JsonNode error = Chats.json(refused.asString()).path("error");
            assertEquals("endpoint_refused_by_policy", error.path("code").asText(), error.toString());
            assertTrue(error.path("message").asText().contains("a loopback address")
                    && error.path("message").asText().contains("GATEWAY_OUTBOUND_LOOPBACK=deny"), error.toString());
        }
        assertTrue(local.requests().isEmpty(), "the fake on 127.0.0.1 saw nothing: " + local.requests());
    }
}
