package io.visca.gateway.registry.provider.outbound;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.registry.TestApi;
import io.visca.gateway.registry.TinyHttpServer;

/**
 * What Test Connection repeats of an upstream's words: a custom provider's jq error quotes the upstream's data (here
 * a huge body full of markup and control characters, made jq's error message by {@code error(.detail)}); the report
 * holds a short, one-line, clean excerpt marked as jq's words, never the body.
 */
@QuarkusTest
class UpstreamWordsInReportsTests {

    private static final String HOSTILE = "<html><script>alert('x')</script>\\u0000\\u001b[31mline one\\r\\nline two\\t"
            + "\\u202e" + "A".repeat(300_000) + "</html>";

    @Test
    void aJqErrorQuotingAHugeHostileBodyIsAShortCleanExcerpt() throws Exception {
        try (TinyHttpServer upstream = TinyHttpServer.start(in -> new TinyHttpServer.Reply(200, "application/json",
                "{\"detail\":\"" + HOSTILE + "\"}"))) {
            String name = uniqueName("words");
            TestApi.create(json("{'name':'" + name + "','type':'custom','base_url':'" + upstream.url() + "',"
                    + "'auth':{'auth_type':'none'},'request':{'method':'POST','path':'/generate'},"
                    + "'transform':{'language':'jq','request':'{prompt: .messages[0].content}',"
                    + "'response':'error(.detail)'},'models':[{'id':'m'}]}"));
            JsonPath report = admin().post("/api/providers/" + name + "/test").then().statusCode(200).extract()
                    .jsonPath();
            assertEquals("unexpected_body", report.getString("endpoints[0].reason"));
            for (String detail : List.of(report.getString("endpoints[0].detail"),
                    report.getString("endpoints[0].chat.detail"))) {
                assertTrue(detail.contains("jq said \""), detail);
                assertTrue(detail.length() < 600, "bounded: " + detail.length() + " characters");
                assertFalse(detail.chars().anyMatch(c -> Character.isISOControl(c)
                        || Character.getType(c) == Character.FORMAT), "no control characters: " + detail);
                assertFalse(detail.contains("<script") || detail.contains("<html"), "no markup: " + detail);
                assertTrue(detail.contains("line one line two"), detail);
            }
        }
    }

    @Test
    void aHugeModelListingIsBounded() throws Exception {
        StringBuilder listing = new StringBuilder("{\"data\":[");
        for (int i = 0; i < 5_000; i++) {
            listing.append(i == 0 ? "" : ",").append("{\"id\":\"model-").append(i).append("\\n").append("x".repeat(300))
                    .append("\"}");
        }
        String body = listing.append("]}").toString();
        try (TinyHttpServer upstream = TinyHttpServer.start(in -> in.path().endsWith("/models")
                ? new TinyHttpServer.Reply(200, "application/json", body)
                : new TinyHttpServer.Reply(200, "application/json", "{\"choices\":[]}"))) {
            String name = uniqueName("words-models");
            TestApi.create(json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + upstream.url()
                    + "/v1','auth':{'auth_type':'none'},'models':[{'id':'m'}]}"));
            List<String> models = admin().post("/api/providers/" + name + "/test").then().statusCode(200).extract()
                    .jsonPath().getList("endpoints[0].models", String.class);
            assertEquals(1000, models.size());
            assertTrue(models.get(0).startsWith("model-0 xxx"), models.get(0));
            assertTrue(models.get(0).length() <= 201, "each id bounded: " + models.get(0).length());
        }
    }
}
