package io.visca.gateway.router.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.fakes.RecordedRequest;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;

/**
 * A {@code ${NAME}} read from a secret file on the hot path: the test profile points {@code GATEWAY_SECRETS_DIR} at
 * {@code target/test-secrets} (read again every second, off the event loop); the upstream gets what the file holds,
 * and what it holds once it is rewritten, without a restart.
 */
@QuarkusTest
class SecretFileTests {

    private static final Path SECRETS = Path.of("target", "test-secrets");
    private static final String VARIABLE = "RT_FILE_TEST_API_KEY";

    private static FakeOpenAiServer upstream;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(SECRETS);
        Files.writeString(SECRETS.resolve(VARIABLE), "sk-router-from-file\n");
        upstream = FakeOpenAiServer.start().models("file-key-model").reply("hello from the file key");
        RegistryAdmin.putProvider("""
                {"name": "file-key-provider", "type": "openai-compatible", "base_url": "%s",
                 "api_key": "${%s}", "retry": {"max_retries": 0}, "models": [{"id": "file-key-model"}]}"""
                .formatted(upstream.baseUrl(), VARIABLE));
        RouterApi.awaitModel("file-key-model");
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider("file-key-provider");
        upstream.close();
    }

    /** Chats until the upstream sees {@code expected} as the key (or 15 s passed); the key it saw last. */
    private static String keyUpstreamSees(String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String key = null;
        while (System.nanoTime() < deadline) {
            Response response = RouterApi.request()
                    .body("{\"model\":\"file-key-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .post("/v1/chat/completions");
            List<RecordedRequest> requests = upstream.requests();
            key = requests.isEmpty() ? null : requests.get(requests.size() - 1).header("authorization");
            if (response.statusCode() == 200 && expected.equals(key)) {
                return key;
            }
            RouterApi.sleep(200);
        }
        return key;
    }

    @Test
    void theUpstreamGetsTheKeyOfTheFileAndItsRotation() throws Exception {
        assertEquals("Bearer sk-router-from-file", keyUpstreamSees("Bearer sk-router-from-file"));

        Files.writeString(SECRETS.resolve(VARIABLE), "sk-router-rotated\n");
        assertEquals("Bearer sk-router-rotated", keyUpstreamSees("Bearer sk-router-rotated"));
    }
}
