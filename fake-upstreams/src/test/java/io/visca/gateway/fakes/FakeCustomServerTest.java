package io.visca.gateway.fakes;

import static io.visca.gateway.fakes.Http.j;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class FakeCustomServerTest {

    private static final String BASIC = "Basic "
            + Base64.getEncoder().encodeToString("legacy:pw".getBytes(StandardCharsets.UTF_8));
    private static FakeCustomServer server;

    @BeforeAll
    static void start() {
        server = FakeCustomServer.start().requireBasic("legacy", "pw");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void generatesInTheConfiguredShape() {
        JsonNode body = Http.post(server.baseUrl() + "/generate",
                j("{'prompt':'Say hi please','max_tokens':100,'temperature':0.7}"), "Authorization", BASIC).json();
        assertEquals("Hello from the fake upstream.", body.path("output").path("text").asText());
        assertEquals("stop", body.path("output").path("stop_reason").asText());
        assertEquals(3, body.path("meta").path("input_tokens").asLong());
        assertEquals(5, body.path("meta").path("output_tokens").asLong());
        JsonNode cut = Http.post(server.baseUrl() + "/generate", j("{'prompt':'x','max_tokens':2}"), "Authorization",
                BASIC).json();
        assertEquals("length", cut.path("output").path("stop_reason").asText());
        assertEquals(2, cut.path("meta").path("output_tokens").asLong());
    }

    @Test
    void answersErrorsAsMessages() {
        Http.Response denied = Http.post(server.baseUrl() + "/generate", j("{'prompt':'x'}"));
        assertEquals(401, denied.status());
        assertEquals("Unauthorized", denied.json().path("message").asText());
        assertEquals("Basic realm=\"models\"", denied.header("www-authenticate"));
        Http.Response invalid = Http.post(server.baseUrl() + "/generate", "{}", "Authorization", BASIC);
        assertEquals(400, invalid.status());
        assertEquals("prompt is required", invalid.json().path("message").asText());
        server.failWith(502, null);
        try {
            Http.Response failed = Http.post(server.baseUrl() + "/generate", j("{'prompt':'x'}"), "Authorization",
                    BASIC);
            assertEquals(502, failed.status());
            assertEquals("Bad Gateway", failed.json().path("message").asText());
            assertEquals(503, Http.get(server.baseUrl() + "/health").status());
        } finally {
            server.healthy();
        }
    }
}
