package io.visca.gateway.registry.provider.rest;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.fakes.FakeEchoServer;
import io.visca.gateway.fakes.RecordedRequest;
import io.visca.gateway.registry.TestApi;
import io.visca.gateway.registry.provider.mapping.ProviderDocumentParser;
import io.visca.gateway.registry.provider.outbound.StoredAnyway;

/**
 * A provider type added by a package of its own ({@code example-echo}, registered by {@code gateway-providers}'
 * test-jar, nothing in the registry naming it) is a known type: a provider of it is saved, and Test Connection makes
 * that type's requests against its fake. A type no package registers is not tested with another type's requests.
 */
@QuarkusTest
class AddedProviderTypeTests {

    private static FakeEchoServer echo;

    @BeforeAll
    static void upstream() {
        echo = FakeEchoServer.start();
    }

    @AfterAll
    static void cleanUp() {
        echo.close();
    }

    @BeforeEach
    void reset() {
        echo.clearRequests();
    }

    private static String echoProvider(String name) {
        return json("{'name':'" + name + "','type':'example-echo','base_url':'" + echo.baseUrl() + "',"
                + "'models':[{'id':'voice','upstream_model':'echo-1'}]}");
    }

    @Test
    void aProviderOfAnAddedTypeIsSavedAndListedAmongTheKnownTypes() {
        String name = uniqueName("echo-saved");
        TestApi.create(echoProvider(name));

        admin().get("/api/providers/" + name).then().statusCode(200).body("type", equalTo("example-echo"));
        admin().body(json("{'name':'v','type':'gpt','base_url':'http://h:1','models':[{'id':'m'}]}"))
                .post("/api/providers").then().statusCode(400)
                .body("error.message", containsString("custom, example-echo"));
    }

    @Test
    void testConnectionMakesTheAddedTypesRequestsAgainstItsFake() {
        String name = uniqueName("echo-test");
        TestApi.create(echoProvider(name));

        admin().post("/api/providers/" + name + "/test").then().statusCode(200)
                .body("ok", equalTo(true))
                .body("endpoints[0].models", equalTo(List.of("echo-1", "echo-2")))
                .body("endpoints[0].chat.ok", equalTo(true))
                .body("endpoints[0].chat.model", equalTo("voice"))
                .body("endpoints[0].health_check.ok", equalTo(true))
                .body("endpoints[0].health_check.probe", equalTo("GET /echo/status"))
                .body("endpoints[0].reason", nullValue());

        List<RecordedRequest> sent = echo.requests();
        assertEquals(List.of("GET /echo/voices", "POST /echo/say", "GET /echo/status"),
                sent.stream().map(r -> r.method() + " " + r.path()).toList());
        assertTrue(sent.stream().allMatch(r -> "1".equals(r.header("x-echo-version"))), "the type's header");
        assertTrue(sent.get(1).body().contains("\"voice\":\"echo-1\""), sent.get(1).body());
    }

    @Test
    void aStoredProviderOfAnUnknownTypeFailsTestConnectionSendingNothing() {
        String name = uniqueName("retired-type");
        ProviderConfig saved = new ProviderDocumentParser().parse(echoProvider(name)).config();
        StoredAnyway.store(new ProviderConfig(saved.name(), "retired-type", saved.enabled(), saved.endpoints(),
                saved.auth(), saved.models(), saved.healthCheck(), saved.timeouts(), saved.rateLimit(),
                saved.retry(), null, null));
        try {
            admin().post("/api/providers/" + name + "/test").then().statusCode(200)
                    .body("ok", equalTo(false))
                    .body("endpoints[0].reason", equalTo("unknown_type"))
                    .body("endpoints[0].detail", equalTo("unknown type 'retired-type'; known types: "
                            + "openai-compatible, anthropic, ollama, tgi, replicate, custom, example-echo: nothing was "
                            + "sent"));
            assertTrue(echo.requests().isEmpty(), "no request of any type's check");
        } finally {
            admin().delete("/api/providers/" + name);
        }
    }
}
