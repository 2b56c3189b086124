package io.visca.gateway.registry.provider.rest;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.registry.TestApi;
import io.visca.gateway.registry.TinyHttpServer;

/**
 * A {@code ${NAME}} read from a secret file, end to end: the test profile points {@code GATEWAY_SECRETS_DIR} at
 * {@code target/test-secrets} (read again every second); Test Connection sends what the file holds, and what it holds
 * after it is rewritten, to a real server.
 */
@QuarkusTest
class SecretFileConnectionTests {

    private static final Path SECRETS = Path.of("target", "test-secrets");

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

    /** The key of the first request the next Test Connection sends, once it is {@code expected} (or 15 s passed). */
    private static String keySent(String provider, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String key;
        do {
            int before = upstream.received().size();
            admin().post("/api/providers/" + provider + "/test").then().statusCode(200);
            List<TinyHttpServer.Received> received = upstream.received();
            key = received.size() > before ? received.get(before).headers().get("authorization") : null;
            if (expected.equals(key)) {
                return key;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return key;
    }

    @Test
    void sendsTheKeyOfTheSecretFileAndPicksUpItsRotation() throws Exception {
        Files.createDirectories(SECRETS);
        String variable = "FILE_TEST_" + uniqueName("k").replaceAll("[^A-Za-z0-9]", "_").toUpperCase() + "_API_KEY";
        Files.writeString(SECRETS.resolve(variable), "sk-from-a-file\n");
        String name = uniqueName("file-key");
        TestApi.create(TestApi.openAiProvider(name, "${" + variable + "}").replace("https://api.example.com/v1",
                upstream.url() + "/v1"));

        assertEquals("Bearer sk-from-a-file", keySent(name, "Bearer sk-from-a-file"));

        Files.writeString(SECRETS.resolve(variable), "sk-rotated-in-the-file\n");
        assertEquals("Bearer sk-rotated-in-the-file", keySent(name, "Bearer sk-rotated-in-the-file"));
    }
}
