package io.visca.gateway.registry.provider.outbound;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.registry.TestApi;

/**
 * The outbound URL policy at save time, with the default settings: a provider whose base URL or token URL points at a
 * link-local or cloud metadata address (written as an IP, in an IPv6 form, or as a name that resolves there) is a 400
 * naming the field and the rule; loopback, private networks and names that do not resolve are saved. The test JVM's
 * names come from {@code src/test/resources/outbound-hosts}: {@code metadata.outbound.test} is 169.254.169.254.
 */
@QuarkusTest
class OutboundUrlSaveTests {

    private static String provider(String name, String baseUrl) {
        return json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + baseUrl + "',"
                + "'auth':{'auth_type':'none'},'models':[{'id':'m'}]}");
    }

    @Test
    void aBaseUrlOnTheMetadataAddressIsA400NamingTheFieldAndTheRule() {
        admin().body(provider(uniqueName("meta"), "http://169.254.169.254/latest/meta-data")).post("/api/providers")
                .then().statusCode(400)
                .body("error.code", equalTo("validation_failed"))
                .body("error.param", equalTo("base_url"))
                .body("error.violations", hasSize(1))
                .body("error.violations[0].field", equalTo("base_url"))
                .body("error.violations[0].message", allOf(
                        containsString("169.254.169.254 is a cloud metadata address"),
                        containsString("GATEWAY_OUTBOUND_METADATA=deny")));
    }

    @Test
    void aHostNameThatResolvesToTheMetadataAddressIsA400() {
        admin().body(provider(uniqueName("meta-name"), "http://metadata.outbound.test/v1")).post("/api/providers")
                .then().statusCode(400)
                .body("error.violations[0].field", equalTo("base_url"))
                .body("error.violations[0].message", containsString(
                        "metadata.outbound.test resolves to 169.254.169.254, a cloud metadata address"));
    }

    @Test
    void everyEndpointAndTheTokenUrlAreChecked() {
        String name = uniqueName("meta-many");
        admin().body(json("{'name':'" + name + "','type':'openai-compatible','endpoints':["
                + "{'base_url':'http://127.0.0.1:9/v1'},{'base_url':'http://[::ffff:169.254.169.254]/v1'},"
                + "{'base_url':'http://169.254.10.1:8000/v1'}],"
                + "'auth':{'auth_type':'oauth2_client_credentials','token_url':'http://[fd00:ec2::254]/token',"
                + "'client_id':'id','client_secret':'secret'},'models':[{'id':'m'}]}"))
                .post("/api/providers").then().statusCode(400)
                .body("error.violations.field", equalTo(java.util.List.of("endpoints[1].base_url",
                        "endpoints[2].base_url", "auth.token_url")))
                .body("error.violations[1].message", containsString("GATEWAY_OUTBOUND_LINK_LOCAL=deny"))
                .body("error.violations[2].message", containsString("fd00:ec2::254 is a cloud metadata address"));
    }

    @Test
    void aReplaceIsCheckedLikeACreate() {
        String name = uniqueName("meta-put");
        TestApi.create(provider(name, "http://127.0.0.1:9/v1"));
        admin().body(provider(name, "http://169.254.169.254/")).put("/api/providers/" + name).then().statusCode(400)
                .body("error.violations[0].field", equalTo("base_url"));
        admin().get("/api/providers/" + name).then().statusCode(200)
                .body("endpoints[0].base_url", equalTo("http://127.0.0.1:9/v1"));
    }

    @Test
    void loopbackPrivateNetworksAndUnresolvedNamesAreSavedByDefault() {
        for (String url : java.util.List.of("http://127.0.0.1:11434", "http://localhost:8000/v1", "http://10.1.2.3/v1",
                "http://[fd12::1]:8080/v1", "https://api.does-not-resolve.example/v1", "https://8.8.8.8/v1")) {
            admin().body(provider(uniqueName("ok"), url)).post("/api/providers").then().statusCode(201);
        }
    }
}
