package io.visca.gateway.system;

import static io.visca.gateway.system.SystemHttp.json;
import static io.visca.gateway.system.SystemHttp.pause;
import static io.visca.gateway.system.SystemHttp.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.fakes.RecordedRequest;

/**
 * Issue 13's first promise, tried as an attacker who may edit providers would: a provider config can never make a
 * service send the gateway's own credentials (service token, admin token, database password) anywhere — not Test
 * Connection (registry), not a probe (health monitor), not a routed request (router). The attacker's server is a
 * fake OpenAI upstream that records every request it receives; the same server, reached with the product page's
 * {@code ${API_KEY}} and with a key read from a secret file, shows that it does see what the services send.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretExfiltrationTests {

    private static final String PAGE_API_KEY = "sk-product-page-" + UUID.randomUUID();
    private static final String FILE_API_KEY = "sk-from-a-secret-file-" + UUID.randomUUID();
    private static final String CLIENT_AGENT = "system-tests-client";

    private static FakeOpenAiServer attacker;
    private static GatewayStack stack;
    private static String clientKey;

    @BeforeAll
    static void startGateway() throws IOException {
        // it serves (and lists) only the models it knows: every provider below has one of its own
        attacker = FakeOpenAiServer.start().models("m-page-example", "m-file-secret",
                "m-tampered-gateway-service-token", "m-tampered-gateway-admin-token", "m-tampered-db-password",
                "m-aliased");
        Path secrets = Files.createTempDirectory("gateway-secrets");
        Files.writeString(secrets.resolve("FILE_API_KEY"), FILE_API_KEY + "\n");
        String serviceToken = "service-" + UUID.randomUUID();
        // ALIAS_API_KEY: a name the allow rule accepts, whose value is the service token
        stack = new GatewayStack("admin-" + UUID.randomUUID(), serviceToken, Map.of("API_KEY", PAGE_API_KEY,
                "GATEWAY_SECRETS_DIR", secrets.toString(), "ALIAS_API_KEY", serviceToken));
        clientKey = stack.admin.createKey("system-tests")[1];
    }

    @AfterAll
    static void stopGateway() {
        if (stack != null) {
            stack.close();
        }
        if (attacker != null) {
            attacker.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "GATEWAY_SERVICE_TOKEN", "GATEWAY_ADMIN_TOKEN", "DB_PASSWORD" })
    @Order(1)
    void providerNamingAGatewayCredentialIsRefused(String variable) {
        HttpResponse<String> created = admin("POST", "/api/providers", provider("steal-" + variable.toLowerCase()
                .replace('_', '-'), "${" + variable + "}"));

        assertEquals(400, created.statusCode(), created.body());
        assertTrue(created.body().contains(variable), "the error names the reference: " + created.body());
        assertTrue(created.body().contains("api_key"), "the error names the field: " + created.body());
        assertEquals(404, admin("GET", "/api/providers/steal-" + variable.toLowerCase().replace('_', '-'), null)
                .statusCode(), "nothing was saved");
    }

    @Test
    @Order(2)
    void productPageKeyAndSecretFileReachTheUpstreamFromEveryService() {
        create(provider("page-example", "${API_KEY}"));
        create(provider("file-secret", "${FILE_API_KEY}"));

        for (String[] provider : new String[][] { { "page-example", PAGE_API_KEY }, { "file-secret", FILE_API_KEY } }) {
            JsonNode report = json(admin("POST", "/api/providers/" + provider[0] + "/test", null).body());
            assertTrue(report.path("ok").asBoolean(), "Test Connection of " + provider[0] + ": " + report);
            assertEquals(200, awaitRouted("m-" + provider[0], status -> status == 200).statusCode());
            String bearer = "Bearer " + provider[1];
            awaitRequest("a probe with " + provider[0] + "'s key",
                    r -> bearer.equals(r.header("authorization"))
                            && ("visca-health-monitor/" + stack.id + "-1").equals(r.header("user-agent")));
            awaitRequest("Test Connection with " + provider[0] + "'s key", r -> bearer.equals(r.header("authorization"))
                    && String.valueOf(r.header("user-agent")).startsWith("visca-gateway-registry"));
            awaitRequest("a routed chat with " + provider[0] + "'s key",
                    r -> bearer.equals(r.header("authorization")) && r.path().endsWith("/chat/completions")
                            && r.body().contains("m-" + provider[0])
                            && !String.valueOf(r.header("user-agent")).startsWith("visca-gateway-registry"));
        }
    }

    /**
     * A reference the save-time rule cannot see through (an allowed name whose value is the service token), and
     * references written straight into the registry's table, past every check of its API: each service refuses to
     * resolve them when it calls, so the attacker's server never sees a credential.
     */
    @Test
    @Order(3)
    void gatewayCredentialsAreNeverSentWhateverTheStoredConfigSays() throws Exception {
        List<String> providers = new ArrayList<>();
        for (String variable : List.of("GATEWAY_SERVICE_TOKEN", "GATEWAY_ADMIN_TOKEN", "DB_PASSWORD")) {
            String name = "tampered-" + variable.toLowerCase().replace('_', '-');
            create(provider(name, "${API_KEY}"));
            assertEquals(200, awaitRouted("m-" + name, status -> status == 200).statusCode(), "routable before");
            rewriteStoredDocument(name, "${API_KEY}", "${" + variable + "}");
            // any change publishes provider-changed: the router and the health monitor fetch the tampered config
            setEnabled(name, false);
            setEnabled(name, true);
            providers.add(name);
        }
        create(provider("aliased", "${ALIAS_API_KEY}"));
        providers.add("aliased");

        for (String name : providers) {
            // 502: the router tried the provider and refused its credentials (disabled, it would be a 4xx)
            HttpResponse<String> routed = awaitRouted("m-" + name, status -> status == 502);
            assertNoCredentialIn(routed.body(), "the router's answer");
            HttpResponse<String> tested = admin("POST", "/api/providers/" + name + "/test", null);
            assertFalse(json(tested.body()).path("ok").asBoolean(), tested.body());
            assertNoCredentialIn(tested.body(), "Test Connection's answer");
        }
        // the probes run every second: give them several rounds over the tampered providers
        Thread.sleep(4_000);

        List<RecordedRequest> seen = attacker.requests();
        assertFalse(seen.isEmpty(), "the attacker's server records what reaches it");
        for (RecordedRequest request : seen) {
            assertNoCredentialIn(request.toString(), "a request the attacker's server received");
        }
    }

    private static void assertNoCredentialIn(String text, String where) {
        for (String credential : stack.gatewayCredentials()) {
            assertFalse(text.contains(credential), where + " carries a gateway credential: " + text);
        }
    }

    /**
     * A provider of the product page's shape, on the attacker's server, probed every second; DOWN only after 20
     * failed probes, so that the router, too, calls it with whatever its config says.
     */
    private static String provider(String name, String apiKey) {
        return """
                {"name": "%s", "type": "openai-compatible", "base_url": "%s", "api_key": "%s",
                 "models": [{"id": "m-%s", "context_window": 8192,
                             "cost_per_1k_input": 0.001, "cost_per_1k_output": 0.002}],
                 "health_check": {"enabled": true, "interval_seconds": 1, "timeout_seconds": 1,
                                  "failure_threshold": 20},
                 "enabled": true}
                """.formatted(name, attacker.baseUrl(), apiKey, name);
    }

    private static void create(String json) {
        HttpResponse<String> created = admin("POST", "/api/providers", json);
        assertEquals(201, created.statusCode(), created.body());
    }

    private static void setEnabled(String name, boolean enabled) {
        HttpResponse<String> patched = admin("PATCH", "/api/providers/" + name, "{\"enabled\":" + enabled + "}");
        assertEquals(200, patched.statusCode(), patched.body());
    }

    /** Replaces text in the stored config document with SQL, past the registry's API and its checks. */
    private static void rewriteStoredDocument(String provider, String from, String to) throws SQLException {
        Map<String, String> db = stack.registryDb;
        try (Connection connection = DriverManager.getConnection("jdbc:" + db.get("url"), db.get("user"),
                db.get("password"));
                PreparedStatement update = connection
                        .prepareStatement("update provider set document = replace(document, ?, ?) where name = ?")) {
            update.setString(1, from);
            update.setString(2, to);
            update.setString(3, provider);
            assertEquals(1, update.executeUpdate());
        }
    }

    /** Sends a chat for {@code model} until the router's status passes {@code done} (it learns changes by events). */
    private static HttpResponse<String> awaitRouted(String model, Predicate<Integer> done) {
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> last;
        do {
            last = send(HttpRequest.newBuilder(URI.create(stack.router.url() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + clientKey).header("Content-Type", "application/json")
                    .header("User-Agent", CLIENT_AGENT).POST(HttpRequest.BodyPublishers.ofString(body)));
            if (done.test(last.statusCode())) {
                return last;
            }
            pause(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the router answered " + last.statusCode() + " " + last.body() + " for " + model);
    }

    private static void awaitRequest(String what, Predicate<RecordedRequest> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (attacker.requests().stream().anyMatch(match)) {
                return;
            }
            pause(200);
        }
        throw new AssertionError("the upstream never received " + what + "; it received " + attacker.requests());
    }

    private static HttpResponse<String> admin(String method, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(stack.registry.url() + path))
                .header("Authorization", "Bearer " + stack.adminToken).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)));
    }
}
