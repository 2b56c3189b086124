package io.visca.gateway.registry.provider.outbound;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.visca.gateway.fakes.FakeOpenAiServer;

/**
 * The registry with {@code GATEWAY_OUTBOUND_LOOPBACK=deny}: a provider on this machine (127.0.0.1, ::1, or the name
 * {@code localhost}, looked up for real) is a 400 at save time, and one stored anyway (saved under other settings) is
 * refused by Test Connection; the fake listening on loopback sees no request.
 */
@QuarkusTest
@TestProfile(LoopbackDeniedTests.LoopbackDenied.class)
class LoopbackDeniedTests {

    /** As {@code GATEWAY_OUTBOUND_LOOPBACK=deny} sets it. */
    public static class LoopbackDenied implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.outbound.loopback", "deny");
        }
    }

    private static FakeOpenAiServer local;

    @BeforeAll
    static void start() {
        local = FakeOpenAiServer.start().models("m");
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    private static String provider(String name, String baseUrl) {
        return json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + baseUrl + "',"
                + "'auth':{'auth_type':'none'},'models':[{'id':'m'}]}");
    }

    @Test
    void aProviderOnThisMachineIsA400() {
        for (String url : List.of(local.baseUrl(), "http://localhost:" + local.port() + "/v1", "http://[::1]:8000",
                "http://loopback.outbound.test:8000")) {
            admin().body(provider(uniqueName("loop"), url)).post("/api/providers").then().statusCode(400)
                    .body("error.violations[0].field", equalTo("base_url"))
                    .body("error.violations[0].message", allOf(containsString("a loopback address"),
                            containsString("GATEWAY_OUTBOUND_LOOPBACK=deny")));
        }
    }

    @Test
    void aProviderStoredOnThisMachineIsRefusedByTestConnection() {
        for (String url : List.of(local.baseUrl(), "http://localhost:" + local.port() + "/v1")) {
            String name = uniqueName("loop-stored");
            StoredAnyway.store(provider(name, url));
            admin().post("/api/providers/" + name + "/test").then().statusCode(200)
                    .body("endpoints[0].reason", equalTo("refused_by_policy"))
                    .body("endpoints[0].detail", containsString("GATEWAY_OUTBOUND_LOOPBACK=deny"));
        }
        assertTrue(local.requests().isEmpty(), "the fake on loopback saw nothing: " + local.requests());
    }

    @Test
    void publicAndPrivateAddressesAreStillSaved() {
        admin().body(provider(uniqueName("priv"), "http://10.0.0.7:8000/v1")).post("/api/providers").then()
                .statusCode(201);
    }
}
