package io.visca.gateway.registry.provider.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.specification.RequestSpecification;
import io.visca.gateway.auth.SecretCipher;
import io.visca.gateway.auth.SecretKeys;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.infra.test.ServiceProcess;

/**
 * The secrets key as an operator handles it, on the packaged registry ({@code -Dregistry.jar}) restarted with new
 * settings: without a key (or with a malformed one) it does not start; rows written in clear before encryption are
 * encrypted at the next start; a rotation (new key in GATEWAY_SECRETS_KEY, the old one in
 * GATEWAY_SECRETS_PREVIOUS_KEYS) re-encrypts every stored secret under the new key at start, after which the old key
 * can go.
 */
class SecretsKeyRotationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] OLD_KEY = key(7);
    private static final byte[] NEW_KEY = key(11);
    private static final String ADMIN = "rotation-it-admin-token";
    private static final String SERVICE = "rotation-it-service-token";
    private static final String SECRET = "sk-rotate-me-4711";

    private final Map<String, String> db = GatewayInfraResource.database("registry_rotation_it");
    private ServiceProcess registry;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.stop();
        }
    }

    @Test
    void refusesToStartWithoutAUsableKeyAndNeverPrintsIt() throws IOException {
        ServiceProcess none = process("registry-no-key", Map.of("GATEWAY_SECRETS_KEY", ""));
        assertThrows(IllegalStateException.class, none::start);
        assertTrue(Files.readString(none.log()).contains("GATEWAY_SECRETS_KEY (or GATEWAY_SECRETS_KEY_FILE) must be "
                + "set"), "the log says which setting is missing");

        String malformed = "correct horse battery staple";
        ServiceProcess bad = process("registry-bad-key", Map.of("GATEWAY_SECRETS_KEY", malformed));
        assertThrows(IllegalStateException.class, bad::start);
        String log = Files.readString(bad.log());
        assertTrue(log.contains("GATEWAY_SECRETS_KEY is not valid base64"), "the log says what is wrong");
        assertFalse(log.contains("horse"), "the log never shows the key");
    }

    @Test
    void encryptsRowsFromBeforeAtStartAndRotatesToANewKey() throws Exception {
        String name = "rotated-" + Long.toString(System.nanoTime(), 36);
        String reference = name + "-ref";
        // 1. a registry whose key is in a file, as ./gateway.sh passes it
        Path keyFile = Files.writeString(dir.resolve("secrets-key"), base64(OLD_KEY) + "\n");
        registry = process("registry-rotation-1", Map.of("GATEWAY_SECRETS_KEY_FILE", keyFile.toString())).start();
        admin().body(provider(name, "https://api.example.com/v1", SECRET)).post("/api/providers").then()
                .statusCode(201);
        admin().body(provider(reference, "https://api.example.com/v1", "${OPENAI_API_KEY}")).post("/api/providers")
                .then().statusCode(201);
        assertEquals(SECRET, open(OLD_KEY, name, storedKey(name)));
        registry.stop();

        // 2. the row as a registry from before encryption wrote it: encrypted at the next start
        replaceInDocument(name, storedKey(name), SECRET);
        long before = revision();
        registry = process("registry-rotation-2", Map.of("GATEWAY_SECRETS_KEY", base64(OLD_KEY))).start();
        assertEquals(SECRET, open(OLD_KEY, name, storedKey(name)));
        assertTrue(revision() > before, "recorded as a provider change");
        assertTrue(Files.readString(registry.log()).contains("were stored in clear"));
        registry.stop();

        // 3. rotation: the new key, the old one as a previous key
        registry = process("registry-rotation-3", Map.of("GATEWAY_SECRETS_KEY", base64(NEW_KEY),
                "GATEWAY_SECRETS_PREVIOUS_KEYS", base64(OLD_KEY))).start();
        String rotated = storedKey(name);
        assertEquals(SecretKeys.idOf(NEW_KEY), SecretCipher.keyIdOf(rotated));
        assertEquals(SECRET, open(NEW_KEY, name, rotated));
        String snapshotKey = given().baseUri(registry.url()).header("Authorization", "Bearer " + SERVICE)
                .get("/internal/providers/" + name).then().statusCode(200).extract().path("auth.api_key");
        assertEquals(SECRET, open(NEW_KEY, name, snapshotKey));
        assertEquals("${OPENAI_API_KEY}", stored(reference).at("/auth/api_key").asText(), "references untouched");
        String log = Files.readString(registry.log());
        assertTrue(log.contains("under a previous key"), "the log counts what was re-encrypted");
        assertTrue(log.contains("the previous keys (GATEWAY_SECRETS_PREVIOUS_KEYS) are no longer needed"));
        assertFalse(log.contains(base64(OLD_KEY)) || log.contains(base64(NEW_KEY)) || log.contains(SECRET));
        registry.stop();

        // 4. the old key is gone: the registry still reads and uses every secret
        try (FakeOpenAiServer upstream = FakeOpenAiServer.start().requireApiKey(SECRET).models("gpt-4o-mini")) {
            registry = process("registry-rotation-4", Map.of("GATEWAY_SECRETS_KEY", base64(NEW_KEY))).start();
            replaceInDocument(name, "https://api.example.com/v1", upstream.baseUrl());
            admin().post("/api/providers/" + name + "/test").then().statusCode(200)
                    .body("endpoints[0].ok", equalTo(true));
            assertEquals(rotated, storedKey(name), "nothing left to re-encrypt");
        }
    }

    private ServiceProcess process(String logName, Map<String, String> secrets) throws IOException {
        Files.deleteIfExists(Path.of("target", logName + "-process.log"));
        Map<String, String> env = new HashMap<>(Map.of("DB_URL", db.get("url"), "DB_USER", db.get("user"),
                "DB_PASSWORD", db.get("password"), "KAFKA_BOOTSTRAP_SERVERS",
                GatewayInfraResource.kafkaBootstrapServers(), "GATEWAY_ADMIN_TOKEN", ADMIN, "GATEWAY_SERVICE_TOKEN",
                SERVICE, "PROVIDERS_DIR", ""));
        env.putAll(secrets);
        return new ServiceProcess(logName, ServiceProcess.jar("registry.jar"), env);
    }

    private RequestSpecification admin() {
        return given().baseUri(registry.url()).header("Authorization", "Bearer " + ADMIN)
                .contentType("application/json");
    }

    private static String provider(String name, String baseUrl, String apiKey) {
        return "{\"name\":\"" + name + "\",\"type\":\"openai-compatible\",\"base_url\":\"" + baseUrl
                + "\",\"api_key\":\"" + apiKey + "\",\"models\":[{\"id\":\"gpt-4o-mini\"}]}";
    }

    private static String open(byte[] key, String provider, String stored) {
        return new SecretCipher(SecretKeys.of(key)).open(provider, "auth.api_key", stored);
    }

    private String storedKey(String name) throws SQLException, IOException {
        return stored(name).at("/auth/api_key").asText();
    }

    private JsonNode stored(String name) throws SQLException, IOException {
        try (Connection c = connect();
                PreparedStatement select = c.prepareStatement("select document from provider where name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                assertTrue(rows.next(), "no row for " + name);
                return JSON.readTree(rows.getString(1));
            }
        }
    }

    private long revision() throws SQLException {
        try (Connection c = connect();
                ResultSet rows = c.createStatement().executeQuery("select revision from registry_state")) {
            assertTrue(rows.next());
            return rows.getLong(1);
        }
    }

    private void replaceInDocument(String name, String from, String to) throws SQLException {
        try (Connection c = connect();
                PreparedStatement update = c.prepareStatement(
                        "update provider set document = replace(document, ?, ?) where name = ?")) {
            update.setString(1, from);
            update.setString(2, to);
            update.setString(3, name);
            assertEquals(1, update.executeUpdate());
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:" + db.get("url"), db.get("user"), db.get("password"));
    }

    private static String base64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 13 + i);
        }
        return key;
    }
}
