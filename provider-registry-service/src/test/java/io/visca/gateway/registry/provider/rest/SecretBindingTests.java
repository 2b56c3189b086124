package io.visca.gateway.registry.provider.rest;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.registry.TestApi;
import io.visca.gateway.registry.TinyHttpServer;
import io.visca.gateway.registry.dashboard.DashboardClient;

/**
 * A stored secret is bound to where the provider's requests went: keeping it with {@code "********"} while an
 * endpoint's {@code base_url} is new or {@code auth.token_url} changes is a 400 on that secret field; a new secret, or
 * a {@code ${NAME}} reference, goes anywhere.
 */
@QuarkusTest
class SecretBindingTests {

    private static final String SECRET = "sk-bound-literal-5521";

    /** Where the stored endpoints point: it records the key each Test Connection sends. */
    private static TinyHttpServer upstream;

    @BeforeAll
    static void startUpstream() throws Exception {
        upstream = TinyHttpServer.start(in -> new TinyHttpServer.Reply(200, "application/json",
                "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\"}]}"));
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    /** The keys Test Connection sends for the provider (what is stored, whatever its form at rest). */
    private static Set<String> keysSent(String name) {
        int before = upstream.received().size();
        admin().post("/api/providers/" + name + "/test").then().statusCode(200);
        List<TinyHttpServer.Received> received = upstream.received();
        Set<String> keys = new HashSet<>();
        received.subList(before, received.size()).forEach(r -> keys.add(r.headers().get("authorization")));
        return keys;
    }

    private static String provider(String name, String endpoints, String apiKey) {
        return json("{'name':'" + name + "','type':'openai-compatible','endpoints':" + endpoints + ",'api_key':'"
                + apiKey + "','models':[{'id':'gpt-4o-mini'}]}");
    }

    private static String endpoints(String... urls) {
        StringBuilder list = new StringBuilder("[");
        for (String url : urls) {
            list.append(list.length() > 1 ? "," : "").append("{'base_url':'").append(url).append("'}");
        }
        return list.append("]").toString();
    }

    @Test
    void aNewBaseUrlWithThePlaceholderAsksForTheSecretAgain() {
        String name = uniqueName("bind-url");
        TestApi.create(provider(name, endpoints("https://api.example.com/v1"), SECRET));

        admin().body(provider(name, endpoints("https://collector.example.net/v1"), "********"))
                .put("/api/providers/" + name).then().statusCode(400)
                .body("error.violations[0].field", equalTo("auth.api_key"))
                .body("error.violations[0].message", equalTo("'********' keeps the stored secret, which is bound to "
                        + "where the provider's requests went, but endpoints[0].base_url "
                        + "https://collector.example.net/v1 is not one of the provider's stored endpoints: send the secret again (or a ${NAME} "
                        + "reference) to use it there"));
        admin().get("/api/providers/" + name).then().statusCode(200)
                .body("endpoints[0].base_url", equalTo("https://api.example.com/v1"));
    }

    @Test
    void anAddedEndpointIsANewDestinationRemovingOrReweightingIsNot() {
        String name = uniqueName("bind-add");
        String a = upstream.url() + "/a/v1";
        String b = upstream.url() + "/b/v1";
        TestApi.create(provider(name, endpoints(a, b), SECRET));

        admin().body(provider(name, endpoints(a, "https://c.example.com/v1"), "********"))
                .put("/api/providers/" + name).then().statusCode(400)
                .body("error.violations[0].message", containsString("endpoints[1].base_url https://c.example.com/v1"));
        assertEquals(Set.of("Bearer " + SECRET), keysSent(name));
        admin().body(provider(name, "[{'base_url':'" + b + "','weight':5}]", "********"))
                .put("/api/providers/" + name).then().statusCode(200)
                .body("endpoints[0].weight", equalTo(5)).body("auth.api_key", equalTo("********"));
        assertEquals(Set.of("Bearer " + SECRET), keysSent(name), "the stored key, kept");
    }

    @Test
    void aNewSecretWithTheNewUrlIsAcceptedAndUsedThere() {
        String name = uniqueName("bind-new");
        TestApi.create(provider(name, endpoints("https://api.example.com/v1"), SECRET));

        admin().body(provider(name, endpoints(upstream.url() + "/new/v1"), "sk-new-for-the-new-host"))
                .put("/api/providers/" + name).then().statusCode(200);
        assertEquals(Set.of("Bearer sk-new-for-the-new-host"), keysSent(name));
    }

    @Test
    void aReferenceIsNotBoundToADestination() {
        String name = uniqueName("bind-ref");
        TestApi.create(provider(name, endpoints("https://api.example.com/v1"), "${OPENAI_API_KEY}"));
        admin().body(provider(name, endpoints("https://elsewhere.example.com/v1"), "${OPENAI_API_KEY}"))
                .put("/api/providers/" + name).then().statusCode(200)
                .body("auth.api_key", equalTo("${OPENAI_API_KEY}"));
    }

    @Test
    void aChangedTokenUrlAsksForTheClientSecretAgain() {
        String name = uniqueName("bind-token");
        String oauth = "{'name':'" + name + "','type':'openai-compatible','base_url':'https://llm.example.com/v1',"
                + "'auth':{'auth_type':'oauth2_client_credentials','token_url':'%s','client_id':'corp',"
                + "'client_secret':'%s'},'models':[{'id':'m'}]}";
        TestApi.create(json(oauth.formatted("https://login.example.com/token", "client-secret-literal")));

        admin().body(json(oauth.formatted("https://login.example.net/token", "********")))
                .put("/api/providers/" + name).then().statusCode(400)
                .body("error.violations[0].field", equalTo("auth.client_secret"))
                .body("error.violations[0].message", containsString("auth.token_url changed to "
                        + "https://login.example.net/token"));
        admin().body(json(oauth.formatted("https://login.example.com/token", "********")))
                .put("/api/providers/" + name).then().statusCode(200);
        admin().body(json(oauth.formatted("https://login.example.net/token", "new-client-secret")))
                .put("/api/providers/" + name).then().statusCode(200);
    }

    @Test
    void theDashboardEditAsksForTheKeyBesideItsField() {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("bind-dash");
        TestApi.create(provider(name, endpoints(upstream.url() + "/dash/v1"), SECRET));

        Document edit = browser.page("/providers/" + name + "/edit");
        Map<String, Object> form = DashboardClient.single(DashboardClient.fields(edit.selectFirst("#provider-form")));
        assertEquals("", form.get("api_key"), "the key field is empty: it keeps the stored key");
        String urlField = form.keySet().stream().filter(k -> k.matches("endpoints\\[0]\\.url")).findFirst()
                .orElse("base_url");
        form.put(urlField, upstream.url() + "/collector/v1");
        Response response = browser.post("/providers/" + name, form);
        assertEquals(400, response.statusCode(), response.asString());
        Element error = Jsoup.parse(response.asString())
                .selectFirst("#provider-form .field-error[data-field=\"auth.api_key\"]");
        assertNotNull(error, response.asString());
        assertTrue(error.text().contains("send the secret again"), error.text());
        assertEquals(Set.of("Bearer " + SECRET), keysSent(name), "nothing changed");

        form.put("api_key", "sk-typed-again-for-the-collector");
        browser.post("/providers/" + name, form).then().statusCode(303);
        assertEquals(Set.of("Bearer sk-typed-again-for-the-collector"), keysSent(name));
    }
}
