package io.visca.gateway.router.registry;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RegistryServiceResource;
import io.visca.gateway.router.testing.RouterApi;

/**
 * Literal provider keys reach the router only encrypted, in the real registry's snapshot: the router opens them with
 * the secrets key when it takes the snapshot in and calls the upstream with the plaintext. A value it cannot open (here
 * altered in the registry's database) fails that provider's calls with a clear 502 while the rest of the snapshot is
 * served.
 */
@QuarkusTest
class EncryptedSecretsTests {

    private static final String GOOD_KEY = "sk-router-sealed-good-4711";
    private static final String BROKEN_KEY = "sk-router-sealed-broken-4712";
    private static FakeOpenAiServer good;
    private static FakeOpenAiServer broken;

    @BeforeAll
    static void providers() {
        good = FakeOpenAiServer.start().models("sealed-good-model").requireApiKey(GOOD_KEY);
        broken = FakeOpenAiServer.start().models("sealed-broken-model").requireApiKey(BROKEN_KEY);
        RegistryAdmin.putProvider(provider("sealed-good", good, GOOD_KEY, "sealed-good-model"));
        RegistryAdmin.putProvider(provider("sealed-broken", broken, BROKEN_KEY, "sealed-broken-model"));
        RouterApi.awaitModel("sealed-good-model");
        RouterApi.awaitModel("sealed-broken-model");
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider("sealed-good");
        RegistryAdmin.deleteProvider("sealed-broken");
        RegistryAdmin.deleteProvider("sealed-trigger");
        good.close();
        broken.close();
    }

    private static String provider(String name, FakeOpenAiServer upstream, String key, String model) {
        return """
                {"name": "%s", "type": "openai-compatible", "base_url": "%s", "api_key": "%s",
                 "models": [{"id": "%s"}]}""".formatted(name, upstream.baseUrl(), key, model);
    }

    private static Response chat(String model) {
        return RouterApi.request().body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"hi\"}]}").post("/v1/chat/completions");
    }

    @Test
    void callsTheUpstreamWithTheKeyTheRegistrySentEncrypted() throws SQLException {
        assertTrue(storedKey("sealed-good").startsWith("enc:v1:"), "the registry holds it encrypted");
        good.clearRequests();
        chat("sealed-good-model").then().statusCode(200);
        assertEquals("Bearer " + GOOD_KEY, good.requests().get(0).header("authorization"));
    }

    @Test
    void aSecretThatDoesNotDecryptFailsOnlyItsProviderWithAClearError() throws SQLException {
        String sealed = storedKey("sealed-broken");
        char c = sealed.charAt(sealed.length() - 6);
        String tampered = sealed.substring(0, sealed.length() - 6) + (c == 'x' ? 'y' : 'x')
                + sealed.substring(sealed.length() - 5);
        replaceInDocument("sealed-broken", sealed, tampered);
        // any change makes the router fetch the whole snapshot again, the altered row included
        FakeOpenAiServer trigger = FakeOpenAiServer.start().models("sealed-trigger-model");
        try {
            RegistryAdmin.putProvider(provider("sealed-trigger", trigger, "sk-trigger", "sealed-trigger-model"));
            RouterApi.awaitModel("sealed-trigger-model");

            broken.clearRequests();
            String body = chat("sealed-broken-model").then().statusCode(502)
                    .body("error.code", equalTo("provider_misconfigured"))
                    .body("error.message", containsString("sealed-broken"))
                    .body("error.message", containsString("auth.api_key"))
                    .body("error.message", containsString("the secrets key"))
                    .body("error.message", not(containsString(tampered.substring(20))))
                    .extract().asString();
            assertFalse(body.contains(BROKEN_KEY), body);
            assertTrue(broken.requests().isEmpty(), "nothing is sent without the key");
            chat("sealed-good-model").then().statusCode(200);
            chat("sealed-trigger-model").then().statusCode(200);
        } finally {
            trigger.close();
        }
    }

    private static String storedKey(String provider) throws SQLException {
        try (Connection c = connect();
                PreparedStatement select = c.prepareStatement(
                        "select document::json->'auth'->>'api_key' from provider where name = ?")) {
            select.setString(1, provider);
            try (ResultSet rows = select.executeQuery()) {
                assertTrue(rows.next(), "no row for " + provider);
                return rows.getString(1);
            }
        }
    }

    private static void replaceInDocument(String provider, String from, String to) throws SQLException {
        try (Connection c = connect();
                PreparedStatement update = c.prepareStatement(
                        "update provider set document = replace(document, ?, ?) where name = ?")) {
            update.setString(1, from);
            update.setString(2, to);
            update.setString(3, provider);
            assertEquals(1, update.executeUpdate());
        }
    }

    private static Connection connect() throws SQLException {
        Map<String, String> db = RegistryServiceResource.database();
        return DriverManager.getConnection("jdbc:" + db.get("url"), db.get("user"), db.get("password"));
    }
}
