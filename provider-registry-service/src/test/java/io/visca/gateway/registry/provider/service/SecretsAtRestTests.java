package io.visca.gateway.registry.provider.service;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.opened;
import static io.visca.gateway.registry.TestApi.service;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.visca.gateway.auth.SecretCipher;
import io.visca.gateway.auth.SecretKeys;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.fakes.RecordedRequest;
import io.visca.gateway.registry.TestApi;

/**
 * Literal secrets at rest: what PostgreSQL holds (read with SQL) and what the snapshot carries is encrypted under
 * the secrets key, bound to its provider and field; Test Connection decrypts for its own call; rows written in clear
 * before encryption existed are encrypted by {@link SecretsReencryption} (which runs at every start).
 */
@QuarkusTest
class SecretsAtRestTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeOpenAiServer upstream;

    @Inject
    DataSource database;

    @Inject
    SecretsReencryption reencryption;

    @BeforeAll
    static void startUpstream() {
        upstream = FakeOpenAiServer.start().requireApiKey("sk-at-rest-4711").models("gpt-4o-mini");
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    private static String basic(String name, String password) {
        return json("{'name':'" + name + "','type':'custom','base_url':'https://m.example.com','auth':{'auth_type':"
                + "'basic','username':'svc-user','password':'" + password + "'},'request':{'path':'/generate'},"
                + "'transform':{'request':'.','response':'.'},'models':[{'id':'m'}]}");
    }

    private static String oauth(String name, String clientSecret) {
        return json("{'name':'" + name + "','type':'openai-compatible','base_url':'https://llm.example.com',"
                + "'auth':{'auth_type':'oauth2_client_credentials','token_url':'https://login.example.com/token',"
                + "'client_id':'client-1','client_secret':'" + clientSecret + "'},'models':[{'id':'m'}]}");
    }

    @Test
    void theDatabaseHoldsNoLiteralSecretInClear() throws Exception {
        String bearer = uniqueName("rest-bearer");
        String password = uniqueName("rest-basic");
        String oauth = uniqueName("rest-oauth");
        TestApi.create(TestApi.openAiProvider(bearer, "sk-live-AtRest1secretDoNotStore"));
        TestApi.create(basic(password, "hunter2-AtRest2"));
        TestApi.create(oauth(oauth, "client-secret-AtRest3"));

        for (String row : allDocuments()) {
            assertFalse(row.contains("AtRest"), "a secret in clear: " + row);
        }
        String keyId = SecretKeys.idOf("test-only-secret-key-not-for-use".getBytes());
        JsonNode stored = document(bearer);
        assertTrue(stored.at("/auth/api_key").asText().startsWith("enc:v1:" + keyId + ":"), stored.toString());
        assertEquals("sk-live-AtRest1secretDoNotStore", opened(bearer, "auth.api_key", stored.at("/auth/api_key")
                .asText()));
        assertEquals("hunter2-AtRest2", opened(password, "auth.password", document(password).at("/auth/password")
                .asText()));
        assertEquals("svc-user", document(password).at("/auth/username").asText(), "a user name is no secret");
        assertEquals("client-secret-AtRest3", opened(oauth, "auth.client_secret", document(oauth)
                .at("/auth/client_secret").asText()));
        assertEquals("client-1", document(oauth).at("/auth/client_id").asText());
    }

    @Test
    void theSnapshotCarriesNoLiteralSecretInClear() {
        String name = uniqueName("rest-snap");
        String reference = uniqueName("rest-ref");
        TestApi.create(TestApi.openAiProvider(name, "sk-live-InTheSnapshot"));
        TestApi.create(TestApi.openAiProvider(reference, "${OPENAI_API_KEY}"));

        String snapshot = service().get("/internal/snapshot").then().statusCode(200).extract().asString();
        assertFalse(snapshot.contains("InTheSnapshot"), snapshot);
        List<String> keys = service().get("/internal/snapshot").then().extract().jsonPath()
                .getList("providers.findAll { it.name == '" + name + "' || it.name == '" + reference + "' }"
                        + ".auth.api_key");
        assertEquals(2, keys.size());
        assertTrue(keys.contains("${OPENAI_API_KEY}"), "references stay as written: " + keys);
        String sealed = keys.stream().filter(SecretCipher::isSealed).findFirst().orElseThrow();
        assertEquals("sk-live-InTheSnapshot", opened(name, "auth.api_key", sealed));
        admin().get("/api/providers/" + name).then().body("auth.api_key", equalTo("********"));
    }

    @Test
    void aSubmittedValueThatLooksEncryptedIsALiteralLikeAnyOther() throws Exception {
        String victim = uniqueName("rest-victim");
        String thief = uniqueName("rest-thief");
        TestApi.create(TestApi.openAiProvider(victim, "sk-victims-key"));
        String ciphertext = document(victim).at("/auth/api_key").asText();

        // another provider sent the victim's stored value: it is encrypted again, as the literal it is
        TestApi.create(TestApi.openAiProvider(thief, ciphertext));
        String thiefs = document(thief).at("/auth/api_key").asText();
        assertNotEquals(ciphertext, thiefs);
        assertEquals(ciphertext, opened(thief, "auth.api_key", thiefs));

        // and so is a PUT of the provider's own stored value
        admin().body(TestApi.openAiProvider(victim, ciphertext)).put("/api/providers/" + victim).then()
                .statusCode(200);
        assertEquals(ciphertext, opened(victim, "auth.api_key", document(victim).at("/auth/api_key").asText()));
    }

    @Test
    void sendingTheSameSecretAgainChangesNothing() throws Exception {
        String name = uniqueName("rest-same");
        TestApi.create(TestApi.openAiProvider(name, "sk-same-again"));
        String before = document(name).at("/auth/api_key").asText();
        long revision = revision();
        admin().body(TestApi.openAiProvider(name, "sk-same-again")).put("/api/providers/" + name).then()
                .statusCode(200);
        assertEquals(revision, revision(), "no change recorded");
        assertEquals(before, document(name).at("/auth/api_key").asText());
    }

    @Test
    void testConnectionCallsTheUpstreamWithTheDecryptedKey() {
        upstream.clearRequests();
        String name = uniqueName("rest-conn");
        TestApi.create(json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + upstream.baseUrl()
                + "','api_key':'sk-at-rest-4711','models':[{'id':'gpt-4o-mini'}]}"));

        admin().post("/api/providers/" + name + "/test").then().statusCode(200)
                .body("endpoints[0].ok", equalTo(true));
        List<RecordedRequest> sent = upstream.requests();
        assertFalse(sent.isEmpty());
        sent.forEach(request -> assertEquals("Bearer sk-at-rest-4711", request.header("authorization")));
    }

    @Test
    void aTamperedSecretFailsTestConnectionClearlyAndLeavesTheSnapshotWhole() throws Exception {
        upstream.clearRequests();
        String name = uniqueName("rest-tampered");
        TestApi.create(json("{'name':'" + name + "','type':'openai-compatible','base_url':'" + upstream.baseUrl()
                + "','api_key':'sk-at-rest-4711','models':[{'id':'gpt-4o-mini'}]}"));
        String sealed = document(name).at("/auth/api_key").asText();
        char last = sealed.charAt(sealed.length() - 5);
        String tampered = sealed.substring(0, sealed.length() - 5) + (last == 'x' ? 'y' : 'x')
                + sealed.substring(sealed.length() - 4);
        replaceInDocument(name, sealed, tampered);

        String report = admin().post("/api/providers/" + name + "/test").then().statusCode(200)
                .body("endpoints[0].ok", equalTo(false))
                .body("endpoints[0].reason", equalTo("missing_secret"))
                .body("endpoints[0].detail", containsString("auth.api_key cannot be decrypted with the secrets key"))
                .extract().asString();
        assertFalse(report.contains(tampered.substring(20)), report);
        assertTrue(upstream.requests().isEmpty(), "the upstream is not called without its key");
        service().get("/internal/snapshot").then().statusCode(200);
        admin().delete("/api/providers/" + name).then().statusCode(204);
    }

    @Test
    void rowsStoredInClearBeforeEncryptionAreEncryptedAsAProviderChange() throws Throwable {
        String name = uniqueName("rest-legacy");
        TestApi.create(TestApi.openAiProvider(name, "sk-from-before-encryption"));
        replaceInDocument(name, document(name).at("/auth/api_key").asText(), "sk-from-before-encryption");
        assertTrue(allDocuments().stream().anyMatch(d -> d.contains("sk-from-before-encryption")));
        long revision = revision();

        SecretsReencryption.Report report = VertxContextSupport.subscribeAndAwait(reencryption::reencrypt);

        assertEquals(1, report.providers(), report.toString());
        assertEquals(1, report.inClear());
        assertFalse(allDocuments().stream().anyMatch(d -> d.contains("sk-from-before-encryption")));
        assertEquals("sk-from-before-encryption", opened(name, "auth.api_key", document(name).at("/auth/api_key")
                .asText()));
        assertEquals(revision + 1, revision(), "one provider change");
        assertEquals(0, VertxContextSupport.subscribeAndAwait(reencryption::reencrypt).providers(),
                "nothing left to do");
    }

    @Test
    void aValueUnderAKeyTheRegistryDoesNotHoldIsKeptAndReported() throws Throwable {
        String name = uniqueName("rest-lost");
        TestApi.create(TestApi.openAiProvider(name, "sk-under-a-lost-key"));
        String foreign = new SecretCipher(SecretKeys.of(new byte[32])).seal(name, "auth.api_key", "sk-lost");
        replaceInDocument(name, document(name).at("/auth/api_key").asText(), foreign);

        SecretsReencryption.Report report = VertxContextSupport.subscribeAndAwait(reencryption::reencrypt);

        assertTrue(report.unreadable().stream().anyMatch(p -> p.startsWith(name + ": auth.api_key cannot be "
                + "decrypted: it was encrypted under secrets key 66687aad")), report.toString());
        assertEquals(foreign, document(name).at("/auth/api_key").asText(), "kept as it is");
        admin().post("/api/providers/" + name + "/test").then().statusCode(200)
                .body("endpoints[0].reason", equalTo("missing_secret"))
                .body("endpoints[0].detail", containsString("secrets key 66687aad"));
        admin().delete("/api/providers/" + name).then().statusCode(204);
    }

    private JsonNode document(String name) throws SQLException, java.io.IOException {
        try (Connection c = database.getConnection();
                PreparedStatement select = c.prepareStatement("select document from provider where name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                assertTrue(rows.next(), "no row for " + name);
                return JSON.readTree(rows.getString(1));
            }
        }
    }

    private List<String> allDocuments() throws SQLException {
        try (Connection c = database.getConnection();
                ResultSet rows = c.createStatement().executeQuery("select document from provider")) {
            List<String> all = new java.util.ArrayList<>();
            while (rows.next()) {
                all.add(rows.getString(1));
            }
            return all;
        }
    }

    /** Writes the row as an older registry (or an attacker with database access) would have. */
    private void replaceInDocument(String name, String from, String to) throws SQLException {
        try (Connection c = database.getConnection();
                PreparedStatement update = c.prepareStatement(
                        "update provider set document = replace(document, ?, ?) where name = ?")) {
            update.setString(1, from);
            update.setString(2, to);
            update.setString(3, name);
            assertEquals(1, update.executeUpdate());
        }
    }

    private static long revision() {
        return service().get("/internal/snapshot").then().statusCode(200).extract().jsonPath().getLong("revision");
    }
}
