package io.visca.gateway.router.adapter.replicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeReplicateServer;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;

/**
 * {@code replicate} end to end against an upstream that hands back its follow-up URLs ({@code urls.get},
 * {@code urls.stream}) on another server: the router follows neither, the attempt fails with
 * {@code upstream_foreign_url}, and the other server, listening all along, sees no request (so neither the key nor the
 * prompt reaches it).
 */
@QuarkusTest
class ReplicateFollowUpTests {

    private static FakeReplicateServer replicate;
    private static FakeReplicateServer elsewhere;

    @BeforeAll
    static void provider() {
        elsewhere = FakeReplicateServer.start();
        // slower than the router's Prefer: wait (1 s in tests): the prediction comes back unfinished and must be polled
        replicate = FakeReplicateServer.start().requireApiKey("r8_follow").processingTime(3_000)
                .followUpUrlsAt(elsewhere.baseUrl());
        RegistryAdmin.putProvider("""
                {"name": "t-replicate-foreign", "type": "replicate", "base_url": "%s", "api_key": "r8_follow",
                 "retry": {"max_retries": 0}, "health_check": {"enabled": false},
                 "models": [{"id": "foreign-llama", "upstream_model": "meta/meta-llama-3-8b-instruct"}]}"""
                .formatted(replicate.baseUrl()));
        RouterApi.awaitModel("foreign-llama");
    }

    @AfterEach
    void clear() {
        replicate.clearRequests();
        elsewhere.clearRequests();
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider("t-replicate-foreign");
        replicate.close();
        elsewhere.close();
    }

    private static Response chat(boolean stream) {
        return RouterApi.request().body("{\"model\":\"foreign-llama\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"a secret prompt\"}]}")
                .post("/v1/chat/completions");
    }

    @Test
    void aPollUrlOnAnotherServerIsNotFollowed() {
        Response response = chat(false);
        assertEquals(502, response.statusCode(), response.asString());
        JsonNode error = Chats.json(response.asString()).path("error");
        assertEquals("upstream_foreign_url", error.path("code").asText(), error.toString());
        assertTrue(error.path("message").asText().contains("urls.get"), error.toString());
        assertEquals(1, replicate.requests().size(), "the prediction was created, then nothing");
        assertTrue(elsewhere.requests().isEmpty(), "the other server saw nothing: " + elsewhere.requests());
    }

    @Test
    void aStreamUrlOnAnotherServerIsNotFollowed() {
        Response response = chat(true);
        assertEquals(502, response.statusCode(), response.asString());
        JsonNode error = Chats.json(response.asString()).path("error");
        assertEquals("upstream_foreign_url", error.path("code").asText(), error.toString());
        assertTrue(error.path("message").asText().contains("urls.stream"), error.toString());
        assertTrue(elsewhere.requests().isEmpty(), "the other server saw nothing: " + elsewhere.requests());
    }

    @Test
    void followUpUrlsOnTheEndpointsOriginAreFollowed() {
        replicate.followUpUrlsAt(null);
        try {
            Response response = chat(false);
            assertEquals(200, response.statusCode(), response.asString());
            assertTrue(replicate.requests().size() > 1, "created, then polled");
        } finally {
            replicate.followUpUrlsAt(elsewhere.baseUrl());
        }
    }
}
