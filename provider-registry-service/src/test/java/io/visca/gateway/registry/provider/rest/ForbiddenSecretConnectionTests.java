package io.visca.gateway.registry.provider.rest;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.registry.TestApi;
import io.visca.gateway.registry.TinyHttpServer;

/**
 * Test Connection never resolves a reference the registry refuses, even one that got into storage past the save-time
 * check (written here straight into the provider table): a real server records every request and never sees the
 * registry's credentials. The surefire configuration puts them in this JVM's environment, as in production
 * ({@code GATEWAY_SERVICE_TOKEN}, {@code GATEWAY_ADMIN_TOKEN}), and aliases of them under allowed names
 * ({@code ALIASED_SERVICE_TOKEN}, {@code ALIASED_DB_PASSWORD}).
 */
@QuarkusTest
class ForbiddenSecretConnectionTests {

    private static final List<String> CREDENTIALS = List.of(TestApi.SERVICE_TOKEN, TestApi.ADMIN_TOKEN);

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

    private int seen;

    @BeforeEach
    void mark() {
        seen = upstream.received().size();
    }

    /** Rewrites the stored document, as a direct database write (or an older version) could have left it. */
    private static void storeAnyway(String name, String from, String to) throws Exception {
        Config config = ConfigProvider.getConfig();
        try (Connection db = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
                PreparedStatement update = db.prepareStatement(
                        "update provider set document = replace(document, ?, ?) where name = ?")) {
            update.setString(1, from);
            update.setString(2, to);
            update.setString(3, name);
            assertEquals(1, update.executeUpdate());
        }
    }

    private void assertNothingSent() {
        List<TinyHttpServer.Received> received = upstream.received();
        assertEquals(List.of(), received.subList(seen, received.size()), "no request goes out with a refused secret");
    }

    private static void assertNoCredentialIn(String text) {
        for (String credential : CREDENTIALS) {
            assertFalse(text.contains(credential), text);
        }
    }

    @Test
    void aStoredReferenceToTheServiceTokenIsNeverResolved() throws Exception {
        String name = uniqueName("stored-svc");
        TestApi.create(TestApi.openAiProvider(name, "${VISCA_TEST_UPSTREAM_KEY}").replace("https://api.example.com/v1",
                upstream.url() + "/v1"));
        storeAnyway(name, "${VISCA_TEST_UPSTREAM_KEY}", "${GATEWAY_SERVICE_TOKEN}");
        admin().get("/api/providers/" + name).then().body("auth.api_key", equalTo("${GATEWAY_SERVICE_TOKEN}"));

        String report = admin().post("/api/providers/" + name + "/test").then().statusCode(200)
                .body("ok", equalTo(false))
                .body("endpoints[0].reachable", equalTo(false))
                .body("endpoints[0].reason", equalTo("forbidden_secret"))
                .body("endpoints[0].detail", equalTo("auth.api_key references ${GATEWAY_SERVICE_TOKEN}, which is "
                        + "refused: names starting with GATEWAY_ are the gateway's own settings and credentials, which "
                        + "provider configs can never read (by provider-registry-service); nothing was sent"))
                .extract().asString();
        assertNothingSent();
        assertNoCredentialIn(report);
    }

    @Test
    void aStoredCustomHeaderNamingTheAdminTokenIsNeverResolved() throws Exception {
        String name = uniqueName("stored-adm");
        TestApi.create(json("{'name':'" + name + "','type':'custom','base_url':'" + upstream.url() + "',"
                + "'auth':{'auth_type':'none'},'request':{'path':'/generate','headers':{'X-Api-Key':"
                + "'${VISCA_TEST_UPSTREAM_KEY}'}},'transform':{'request':'{prompt: .messages[0].content}',"
                + "'response':'{content: .text}'},'models':[{'id':'m'}]}"));
        storeAnyway(name, "${VISCA_TEST_UPSTREAM_KEY}", "${GATEWAY_ADMIN_TOKEN}");

        String report = admin().post("/api/providers/" + name + "/test").then().statusCode(200)
                .body("endpoints[0].reason", equalTo("forbidden_secret"))
                .body("endpoints[0].detail", containsString("request.headers.X-Api-Key references "
                        + "${GATEWAY_ADMIN_TOKEN}, which is refused"))
                .extract().asString();
        assertNothingSent();
        assertNoCredentialIn(report);
    }

    @Test
    void anAliasOfTheServiceTokenIsRefusedByItsValue() {
        String name = uniqueName("alias-svc");
        TestApi.create(TestApi.openAiProvider(name, "${ALIASED_SERVICE_TOKEN}").replace("https://api.example.com/v1",
                upstream.url() + "/v1"));

        String report = admin().post("/api/providers/" + name + "/test").then().statusCode(200)
                .body("endpoints[0].reason", equalTo("forbidden_secret"))
                .body("endpoints[0].detail", equalTo("auth.api_key references ${ALIASED_SERVICE_TOKEN}, which is "
                        + "refused: its value holds one of this service's own credentials (by "
                        + "provider-registry-service); nothing was sent"))
                .extract().asString();
        assertNothingSent();
        assertNoCredentialIn(report);
    }

    @Test
    void anAliasOfTheDatabasePasswordIsRefusedByItsValue() {
        String password = ConfigProvider.getConfig().getValue("quarkus.datasource.password", String.class);
        Assumptions.assumeTrue(password.equals(System.getenv("ALIASED_DB_PASSWORD")),
                "the tests run on a database of their own (DB_URL): ALIASED_DB_PASSWORD is not its password");
        String name = uniqueName("alias-db");
        TestApi.create(json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + upstream.url()
                + "/v1','auth':{'auth_type':'basic','username':'${VISCA_TEST_UPSTREAM_KEY}','password':"
                + "'${ALIASED_DB_PASSWORD}'},'models':[{'id':'gpt-4o-mini'}]}"));

        admin().post("/api/providers/" + name + "/test").then().statusCode(200)
                .body("endpoints[0].reason", equalTo("forbidden_secret"))
                .body("endpoints[0].detail", containsString("auth.password references ${ALIASED_DB_PASSWORD}"));
        assertNothingSent();
    }
}
