package io.visca.gateway.fakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class FakeOAuthServerTest {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static FakeOAuthServer server;

    @BeforeAll
    static void start() {
        server = FakeOAuthServer.start().requireClient("gateway", "s3cret");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.expiresIn(3600);
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void issuesTokensToAClientAuthenticatedByBasicOrForm() {
        assertEquals("http://127.0.0.1:" + server.port() + "/oauth2/token", server.tokenUrl());
        long before = server.tokensIssued();
        Http.Response res = Http.post(server.tokenUrl(), "grant_type=client_credentials&scope=llm.invoke",
                "Content-Type", FORM, "Authorization", basic("gateway", "s3cret"));
        assertEquals(200, res.status());
        assertEquals("no-store", res.header("cache-control"));
        JsonNode token = res.json();
        assertTrue(token.path("access_token").asText().startsWith("tok-"));
        assertEquals("Bearer", token.path("token_type").asText());
        assertEquals(3600, token.path("expires_in").asLong());
        assertEquals("llm.invoke", token.path("scope").asText());
        assertTrue(server.isValid(token.path("access_token").asText()));
        assertTrue(server.isValid("Bearer " + token.path("access_token").asText()));
        assertFalse(server.isValid("tok-unknown"));

        Http.Response form = Http.post(server.tokenUrl(),
                "grant_type=client_credentials&client_id=gateway&client_secret=s3cret", "Content-Type", FORM);
        assertEquals(200, form.status());
        assertFalse(form.json().has("scope"));
        assertEquals(before + 2, server.tokensIssued());
    }

    @Test
    void answersRfc6749Errors() {
        Http.Response wrong = Http.post(server.tokenUrl(), "grant_type=client_credentials", "Content-Type", FORM,
                "Authorization", basic("gateway", "nope"));
        assertEquals(401, wrong.status());
        assertEquals("invalid_client", wrong.json().path("error").asText());
        assertEquals("Basic realm=\"oauth\"", wrong.header("www-authenticate"));
        Http.Response grant = Http.post(server.tokenUrl(), "grant_type=password", "Content-Type", FORM,
                "Authorization", basic("gateway", "s3cret"));
        assertEquals(400, grant.status());
        assertEquals("unsupported_grant_type", grant.json().path("error").asText());
        Http.Response missing = Http.post(server.tokenUrl(), "scope=x", "Content-Type", FORM);
        assertEquals(400, missing.status());
        assertEquals("invalid_request", missing.json().path("error").asText());
    }

    @Test
    void tokensExpire() {
        server.expiresIn(0);
        String token = Http.post(server.tokenUrl(), "grant_type=client_credentials", "Content-Type", FORM,
                "Authorization", basic("gateway", "s3cret")).json().path("access_token").asText();
        assertFalse(server.isValid(token));
    }
}
