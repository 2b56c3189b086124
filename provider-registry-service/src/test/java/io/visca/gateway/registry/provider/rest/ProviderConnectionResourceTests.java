package io.visca.gateway.registry.provider.rest;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.fakes.RecordedRequest;
import io.visca.gateway.registry.TestApi;
import io.visca.gateway.registry.TinyHttpServer;

/**
 * "Test Connection" against a real (fake) OpenAI-compatible server on loopback. The surefire configuration sets
 * VISCA_TEST_UPSTREAM_KEY=sk-test in the test JVM's environment, which the registry resolves at call time.
 */
@QuarkusTest
class ProviderConnectionResourceTests {

    private static FakeOpenAiServer upstream;

    @BeforeAll
    static void startUpstream() {
        upstream = FakeOpenAiServer.start().requireApiKey("sk-test").models("gpt-4o-mini", "gpt-4o");
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.healthy().delay(0).clearRequests();
    }

    private static String provider(String name, String baseUrl, String apiKey) {
        return json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + baseUrl + "','api_key':'"
                + apiKey + "','models':[{'id':'text-embedding-3-small'},{'id':'mini','upstream_model':'gpt-4o-mini'}]}");
    }

    private static ValidatableResponse test(String name) {
        return admin().post("/api/providers/" + name + "/test").then().statusCode(200);
    }

    @Test
    void reportsAReachableEndpointItsModelsAndAWorkingChat() {
        String name = uniqueName("conn-up");
        TestApi.create(provider(name, upstream.baseUrl(), "${VISCA_TEST_UPSTREAM_KEY}"));

        String body = test(name)
                .body("provider", equalTo(name))
                .body("ok", equalTo(true))
                .body("endpoints[0].id", equalTo("127.0.0.1:" + upstream.port()))
                .body("endpoints[0].ok", equalTo(true))
                .body("endpoints[0].reachable", equalTo(true))
                .body("endpoints[0].http_status", equalTo(200))
                .body("endpoints[0].latency_ms", greaterThanOrEqualTo(0))
                .body("endpoints[0].models", equalTo(List.of("gpt-4o-mini", "gpt-4o")))
                .body("endpoints[0].chat.ok", equalTo(true))
                .body("endpoints[0].chat.model", equalTo("mini"))
                .body("endpoints[0].chat.http_status", equalTo(200))
                .body("endpoints[0].reason", nullValue())
                .body("endpoints[0].health_check.ok", equalTo(true))
                .body("endpoints[0].health_check.probe", equalTo("GET /v1/models"))
                .body("endpoints[0].health_check.http_status", equalTo(200))
                .extract().asString();
        assertFalse(body.contains("sk-test"), body);

        List<RecordedRequest> requests = upstream.requests();
        assertEquals(List.of("GET /v1/models", "POST /v1/chat/completions"),
                requests.stream().map(r -> r.method() + " " + r.path()).toList());
        RecordedRequest chat = requests.get(1);
        assertEquals("Bearer sk-test", chat.header("authorization"));
        assertTrue(chat.body().contains("\"max_tokens\":1"), chat.body());
        assertTrue(chat.body().contains("\"model\":\"gpt-4o-mini\""), chat.body());
    }

    @Test
    void runsTheProductPagesHealthCheckAtTheServersRoot() {
        String name = uniqueName("conn-health");
        TestApi.create(json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + upstream.baseUrl()
                + "','api_key':'sk-test','models':[{'id':'gpt-4o-mini'}],'health_check':{'enabled':true,"
                + "'endpoint':'/health','interval_seconds':60,'timeout_seconds':5,'failure_threshold':3}}"));

        test(name)
                .body("endpoints[0].ok", equalTo(true))
                .body("endpoints[0].health_check.ok", equalTo(true))
                .body("endpoints[0].health_check.probe", equalTo("GET /health"))
                .body("endpoints[0].health_check.healthy_when", equalTo("HTTP 2xx"))
                .body("endpoints[0].health_check.http_status", equalTo(200));
        assertEquals(List.of("GET /v1/models", "POST /v1/chat/completions", "GET /health"),
                upstream.requests().stream().map(r -> r.method() + " " + r.path()).toList());
    }

    @Test
    void failsAnEndpointWhoseHealthCheckTheMonitorWouldCountAsDown() {
        String name = uniqueName("conn-unhealthy");
        TestApi.create(json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + upstream.baseUrl()
                + "','api_key':'sk-test','models':[{'id':'gpt-4o-mini'}],'health_check':{'endpoint':'health'}}"));

        test(name)
                .body("ok", equalTo(false))
                .body("endpoints[0].ok", equalTo(false))
                .body("endpoints[0].chat.ok", equalTo(true))
                .body("endpoints[0].health_check.ok", equalTo(false))
                .body("endpoints[0].health_check.probe", equalTo("GET /v1/health"))
                .body("endpoints[0].health_check.http_status", equalTo(404))
                .body("endpoints[0].reason", equalTo("unhealthy"))
                .body("endpoints[0].detail", equalTo("health check GET /v1/health answered HTTP 404, not HTTP 2xx: "
                        + "the health monitor would mark this endpoint DOWN"));
    }

    @Test
    void makesNoHealthCheckWhenHealthChecksAreOff() {
        String name = uniqueName("conn-no-health");
        TestApi.create(json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + upstream.baseUrl()
                + "','api_key':'sk-test','models':[{'id':'gpt-4o-mini'}],'health_check':{'enabled':false,"
                + "'endpoint':'/nowhere'}}"));

        test(name)
                .body("endpoints[0].ok", equalTo(true))
                .body("endpoints[0].health_check", nullValue())
                .body("endpoints[0].health_check_note", containsString("health_check.enabled is false"));
        assertFalse(upstream.requests().stream().anyMatch(r -> r.path().equals("/nowhere")));
    }

    @Test
    void reportsARefusedConnectionWhenTheEndpointIsDown() {
        FakeOpenAiServer stopped = FakeOpenAiServer.start();
        String baseUrl = stopped.baseUrl();
        stopped.close();
        String name = uniqueName("conn-down");
        TestApi.create(provider(name, baseUrl, "${VISCA_TEST_UPSTREAM_KEY}"));

        test(name)
                .body("ok", equalTo(false))
                .body("endpoints[0].ok", equalTo(false))
                .body("endpoints[0].reachable", equalTo(false))
                .body("endpoints[0].reason", equalTo("refused"))
                .body("endpoints[0].http_status", nullValue())
                .body("endpoints[0].chat", nullValue())
                .body("endpoints[0].chat_note", containsString("did not answer"));
    }

    @Test
    void reportsAuthWhenTheUpstreamRejectsTheKey() {
        String name = uniqueName("conn-401");
        TestApi.create(provider(name, upstream.baseUrl(), "sk-wrong-key-123"));

        String body = test(name)
                .body("ok", equalTo(false))
                .body("endpoints[0].reachable", equalTo(true))
                .body("endpoints[0].http_status", equalTo(401))
                .body("endpoints[0].reason", equalTo("auth"))
                .body("endpoints[0].detail", containsString("401"))
                .body("endpoints[0].chat", nullValue())
                .extract().asString();
        assertFalse(body.contains("sk-wrong-key-123"), body);
        assertFalse(body.contains("Incorrect API key"), "upstream bodies are not copied: " + body);
    }

    @Test
    void namesTheMissingEnvironmentVariableWithoutCallingTheEndpoint() {
        String name = uniqueName("conn-env");
        TestApi.create(provider(name, upstream.baseUrl(), "${VISCA_VARIABLE_NOBODY_SET_KEY}"));

        test(name)
                .body("endpoints[0].ok", equalTo(false))
                .body("endpoints[0].reachable", equalTo(false))
                .body("endpoints[0].reason", equalTo("missing_secret"))
                .body("endpoints[0].detail", containsString("VISCA_VARIABLE_NOBODY_SET_KEY"));
        assertTrue(upstream.requests().isEmpty());
    }

    @Test
    void reportsATimeoutWhenTheEndpointAnswersTooLate() {
        upstream.delay(3_000);
        String name = uniqueName("conn-slow");
        TestApi.create(json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + upstream.baseUrl()
                + "','api_key':'sk-test','models':[{'id':'gpt-4o-mini'}],'timeouts':{'first_byte_ms':300}}"));

        test(name)
                .body("endpoints[0].reachable", equalTo(false))
                .body("endpoints[0].reason", equalTo("timeout"));
    }

    @Test
    void testsEveryEndpointOnItsOwn() {
        String name = uniqueName("conn-two");
        TestApi.create(json("{'name':'" + name + "','type':'openai-compatible','endpoints':[{'id':'good','base_url':'"
                + upstream.baseUrl() + "'},{'id':'bad','base_url':'http://127.0.0.1:1/v1'}],'api_key':'sk-test',"
                + "'models':[{'id':'gpt-4o-mini'}]}"));

        test(name)
                .body("ok", equalTo(false))
                .body("endpoints.id", equalTo(List.of("good", "bad")))
                .body("endpoints[0].ok", equalTo(true))
                .body("endpoints[1].ok", equalTo(false))
                .body("endpoints[1].reason", equalTo("refused"));
    }

    @Test
    void reportsAnUnexpectedBodyWhenTheEndpointIsNotTheRightKindOfServer() throws Exception {
        try (TinyHttpServer html = TinyHttpServer.start(
                in -> new TinyHttpServer.Reply(200, "text/html", "<html>a web page</html>"))) {
            String name = uniqueName("conn-html");
            TestApi.create(provider(name, html.url(), "sk-test"));

            test(name)
                    .body("endpoints[0].reachable", equalTo(true))
                    .body("endpoints[0].reason", equalTo("unexpected_body"))
                    .body("endpoints[0].detail", not(containsString("a web page")))
                    .body("endpoints[0].chat.ok", equalTo(false))
                    .body("endpoints[0].chat.reason", equalTo("unexpected_body"));
        }
    }

    @Test
    void fetchesAnOAuth2TokenAndUsesItAsBearer() throws Exception {
        upstream.requireApiKey("oauth-token-42");
        try (TinyHttpServer tokens = TinyHttpServer.start(in -> in.body().contains("grant_type=client_credentials")
                && "Basic Y2xpZW50LTE6c2VjcmV0LTE=".equals(in.headers().get("authorization"))
                        ? new TinyHttpServer.Reply(200, "application/json",
                                "{\"access_token\":\"oauth-token-42\",\"token_type\":\"Bearer\"}")
                        : new TinyHttpServer.Reply(401, "application/json", "{\"error\":\"invalid_client\"}"))) {
            String name = uniqueName("conn-oauth");
            TestApi.create(json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + upstream.baseUrl()
                    + "','auth':{'auth_type':'oauth2_client_credentials','token_url':'" + tokens.url() + "/token',"
                    + "'client_id':'client-1','client_secret':'secret-1','scope':'llm.invoke'},"
                    + "'models':[{'id':'gpt-4o-mini'}]}"));

            test(name).body("endpoints[0].ok", equalTo(true)).body("endpoints[0].chat.ok", equalTo(true));
            assertTrue(tokens.received().get(0).body().contains("scope=llm.invoke"));
        } finally {
            upstream.requireApiKey("sk-test");
        }
    }

    @Test
    void sendsTheCustomRequestMadeByTheJqTransform() {
        String name = uniqueName("conn-custom");
        TestApi.create(json("{'name':'" + name + "','type':'custom','base_url':'" + upstream.baseUrl() + "',"
                + "'api_key':'${VISCA_TEST_UPSTREAM_KEY}',"
                + "'request':{'method':'POST','path':'/chat/completions','headers':{'X-Tenant':'acme'}},"
                + "'transform':{'language':'jq','request':'{model: .model, messages: .messages, max_tokens: .max_tokens}',"
                + "'response':'{content: .choices[0].message.content, finish_reason: .choices[0].finish_reason}'},"
                + "'models':[{'id':'legacy','upstream_model':'gpt-4o-mini'}]}"));

        test(name)
                .body("endpoints[0].ok", equalTo(true))
                .body("endpoints[0].models", nullValue())
                .body("endpoints[0].models_note", containsString("no model listing"))
                .body("endpoints[0].http_status", equalTo(200))
                .body("endpoints[0].chat.ok", equalTo(true));
        RecordedRequest sent = upstream.requests().get(0);
        assertEquals("POST /v1/chat/completions", sent.method() + " " + sent.path());
        assertEquals("acme", sent.header("x-tenant"));
        assertTrue(sent.body().contains("\"max_tokens\":1"), sent.body());
    }

    @Test
    void answers404ForAnUnknownProvider() {
        admin().post("/api/providers/" + uniqueName("conn-none") + "/test").then().statusCode(404)
                .body("error.code", equalTo("provider_not_found"));
    }
}
