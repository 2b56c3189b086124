package io.visca.gateway.registry.provider.outbound;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.visca.gateway.registry.TestApi;
import io.visca.gateway.registry.TinyHttpServer;

/**
 * Test Connection and the outbound URL policy at connect time: providers stored past the save-time check (straight
 * into the database) whose base URL or token URL is on the metadata address, as an IP or a name resolving there, are
 * never called: the endpoint fails with {@code refused_by_policy}. Redirects are not followed, neither by the model
 * calls nor by the OAuth2 token request.
 */
@QuarkusTest
class OutboundUrlConnectTests {

    private static ValidatableResponse test(String name) {
        return admin().post("/api/providers/" + name + "/test").then().statusCode(200);
    }

    private static String provider(String name, String baseUrl) {
        return json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + baseUrl + "',"
                + "'auth':{'auth_type':'none'},'models':[{'id':'m'}]}");
    }

    @Test
    void aStoredBaseUrlOnTheMetadataAddressIsNeverCalled() {
        String name = uniqueName("stored-meta");
        StoredAnyway.store(provider(name, "http://169.254.169.254/latest"));
        test(name)
                .body("ok", equalTo(false))
                .body("endpoints[0].reachable", equalTo(false))
                .body("endpoints[0].reason", equalTo("refused_by_policy"))
                .body("endpoints[0].detail", allOf(containsString("GET /models: not sent"),
                        containsString("169.254.169.254 is a cloud metadata address"),
                        containsString("GATEWAY_OUTBOUND_METADATA=deny")))
                .body("endpoints[0].chat", nullValue());
    }

    @Test
    void aStoredNameThatResolvesToTheMetadataAddressIsNeverCalled() {
        String name = uniqueName("stored-meta-name");
        StoredAnyway.store(provider(name, "http://metadata.outbound.test/v1"));
        test(name)
                .body("endpoints[0].reason", equalTo("refused_by_policy"))
                .body("endpoints[0].detail",
                        containsString("metadata.outbound.test resolves to 169.254.169.254, a cloud metadata address"));
    }

    @Test
    void aStoredTokenUrlOnTheMetadataAddressIsNeverCalledNorIsTheEndpoint() throws Exception {
        try (TinyHttpServer model = TinyHttpServer.start(in -> new TinyHttpServer.Reply(200, "application/json",
                "{\"data\":[]}"))) {
            String name = uniqueName("stored-meta-token");
            StoredAnyway.store(json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + model.url()
                    + "/v1','auth':{'auth_type':'oauth2_client_credentials','token_url':'http://169.254.169.254/t',"
                    + "'client_id':'id','client_secret':'secret'},'models':[{'id':'m'}]}"));
            test(name)
                    .body("endpoints[0].reason", equalTo("refused_by_policy"))
                    .body("endpoints[0].detail", containsString("169.254.169.254 is a cloud metadata address"));
            assertTrue(model.received().isEmpty(), "without a token the endpoint is not called either");
        }
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        try (TinyHttpServer elsewhere = TinyHttpServer.start(in -> new TinyHttpServer.Reply(200, "application/json",
                "{\"access_token\":\"stolen\",\"data\":[],\"choices\":[]}"));
                TinyHttpServer redirecting = TinyHttpServer.start(in -> new TinyHttpServer.Reply(302, "text/plain",
                        "", Map.of("location", elsewhere.url() + in.path())))) {
            String name = uniqueName("redirect");
            TestApi.create(provider(name, redirecting.url() + "/v1"));
            test(name)
                    .body("endpoints[0].reason", equalTo("http_error"))
                    .body("endpoints[0].http_status", equalTo(302));

            String oauth = uniqueName("redirect-token");
            TestApi.create(json("{'name':'" + oauth + "','type':'openai-compatible','base_url':'" + elsewhere.url()
                    + "/v1','auth':{'auth_type':'oauth2_client_credentials','token_url':'" + redirecting.url()
                    + "/token','client_id':'id','client_secret':'secret'},'models':[{'id':'m'}]}"));
            test(oauth)
                    .body("endpoints[0].ok", equalTo(false))
                    .body("endpoints[0].detail", containsString("302"));
            assertTrue(elsewhere.received().isEmpty(), "the redirect target saw nothing: " + elsewhere.received());
        }
    }
}
