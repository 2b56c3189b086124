package io.visca.gateway.registry.provider.advice;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * "Use HTTPS for all custom endpoints" as the API says it: a plain-http URL to a host that is not loopback or private
 * is saved (never a 400) and answered with {@code warnings}; Test Connection reports the same advice.
 */
@QuarkusTest
class PlainHttpWarningTests {

    private static String provider(String name, String baseUrl) {
        return json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + baseUrl + "',"
                + "'api_key':'${VLLM_API_KEY}','models':[{'id':'llama-3-70b'}]}");
    }

    @Test
    void savesAPlainHttpPublicUrlWithAWarning() {
        String name = uniqueName("http-public");
        admin().body(provider(name, "http://my-vllm.example.com/v1")).post("/api/providers").then().statusCode(201)
                .body("name", equalTo(name))
                .body("warnings.size()", equalTo(1))
                .body("warnings[0].field", equalTo("base_url"))
                .body("warnings[0].message", containsString("use https://"));
        admin().get("/api/providers/" + name).then().statusCode(200)
                .body("endpoints[0].base_url", equalTo("http://my-vllm.example.com/v1"))
                .body("$", not(hasKey("warnings")));
    }

    @Test
    void answersWithoutWarningsForHttpsAndLocalHosts() {
        for (String url : new String[] { "https://my-vllm.example.com/v1", "http://localhost:8000/v1",
                "http://10.0.0.7:8000/v1", "http://vllm:8000/v1", "http://tgi.internal:8080" }) {
            String name = uniqueName("quiet");
            admin().body(provider(name, url)).post("/api/providers").then().statusCode(201)
                    .body("$", not(hasKey("warnings")));
        }
    }

    @Test
    void replaceNamesTheEndpointAndTheTokenUrl() {
        String name = uniqueName("http-put");
        admin().body(provider(name, "https://a.example.com/v1")).post("/api/providers").then().statusCode(201);
        String replaced = json("{'type':'openai-compatible','endpoints':[{'base_url':'https://a.example.com/v1'},"
                + "{'base_url':'http://b.example.com/v1'}],'auth':{'auth_type':'oauth2_client_credentials',"
                + "'token_url':'http://login.example.com/token','client_id':'${CORP_CLIENT_ID}',"
                + "'client_secret':'${CORP_CLIENT_SECRET}'},'models':[{'id':'m'}]}");
        admin().body(replaced).put("/api/providers/" + name).then().statusCode(200)
                .body("warnings.field", equalTo(java.util.List.of("endpoints[1].base_url", "auth.token_url")))
                .body("warnings[1].message", containsString("client secret"));
    }

    @Test
    void testConnectionReportsTheAdvice() {
        String name = uniqueName("http-test");
        admin().body(provider(name, "http://unresolvable-vllm.example.com/v1")).post("/api/providers").then()
                .statusCode(201);
        admin().post("/api/providers/" + name + "/test").then().statusCode(200)
                .body("warnings[0].field", equalTo("endpoints[0].base_url"))
                .body("warnings[0].message", containsString("unresolvable-vllm.example.com"));
        String quiet = uniqueName("https-test");
        admin().body(provider(quiet, "https://unresolvable-vllm.example.com/v1")).post("/api/providers").then()
                .statusCode(201);
        admin().post("/api/providers/" + quiet + "/test").then().statusCode(200)
                .body("warnings.size()", equalTo(0));
    }
}
