package io.visca.gateway.registry.provider.service;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.registry.TestApi;

/**
 * PROVIDERS_DIR: the test profile points it at src/test/resources/providers-dir, loaded when the application
 * started; the loader is also run again here on folders of its own.
 */
@QuarkusTest
class ProvidersDirLoaderTests {

    @Inject
    ProvidersDirLoader loader;

    @Test
    void createsTheValidFilesOfTheFolderAtStart() {
        admin().get("/api/providers/seeded-openai").then().statusCode(200)
                .body("auth.api_key", equalTo("${OPENAI_API_KEY}"))
                .body("endpoints[0].id", equalTo("api.openai.com"));
        admin().get("/api/providers/seeded-ollama").then().statusCode(200).body("type", equalTo("ollama"));
    }

    @Test
    void skipsInvalidAndMalformedFilesWithoutFailingTheStart() {
        admin().get("/api/providers/seeded-bad").then().statusCode(404);
        admin().get("/api/providers/seeded-malformed").then().statusCode(404);
    }

    @Test
    void leavesExistingProvidersUntouchedAndCreatesTheMissingOnes(@TempDir Path dir) throws Exception {
        String existing = uniqueName("seed-existing");
        TestApi.create(TestApi.openAiProvider(existing, "${ORIGINAL_API_KEY}"));
        String fresh = uniqueName("seed-fresh");
        Files.writeString(dir.resolve("a.json"), TestApi.openAiProvider(existing, "${CHANGED_API_KEY}"));
        Files.writeString(dir.resolve("b.json"), TestApi.openAiProvider(fresh, "${FRESH_API_KEY}"));

        ProvidersDirLoader.Report report = loader.load(dir);

        assertEquals(List.of("b.json"), report.created());
        assertEquals(List.of("a.json"), report.existing());
        admin().get("/api/providers/" + existing).then().body("auth.api_key", equalTo("${ORIGINAL_API_KEY}"));
        admin().get("/api/providers/" + fresh).then().statusCode(200).body("auth.api_key", equalTo("${FRESH_API_KEY}"));
    }

    @Test
    void logsTheViolationsOfABadFileButNeverItsSecrets(@TempDir Path dir) throws Exception {
        String literal = "sk-never-in-a-log-7731";
        Files.writeString(dir.resolve("bad.json"), json("{'name':'" + uniqueName("seed-bad") + "','type':'nope',"
                + "'base_url':'https://a.example.com','api_key':'" + literal + "','models':[{'id':'m',"
                + "'cost_per_1k_input':-1}]}"));
        Files.writeString(dir.resolve("broken.json"), "{\"api_key\": " + literal);

        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getMessage();
                Object[] params = record.getParameters();
                logged.add(params == null ? message : String.format(message, params));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(ProvidersDirLoader.class.getName());
        logger.addHandler(capture);
        try {
            ProvidersDirLoader.Report report = loader.load(dir);
            assertEquals(List.of("bad.json", "broken.json"), report.rejected());
        } finally {
            logger.removeHandler(capture);
        }
        String all = String.join("\n", logged);
        assertTrue(all.contains("bad.json rejected"), all);
        assertTrue(all.contains("models[0].cost_per_1k_input: must not be negative"), all);
        assertTrue(all.contains("broken.json rejected"), all);
        assertFalse(all.contains(literal), all);
        assertFalse(all.contains("never-in"), all);
    }

    @Test
    void toleratesAMissingFolder(@TempDir Path dir) {
        ProvidersDirLoader.Report report = loader.load(dir.resolve("does-not-exist"));
        assertTrue(report.created().isEmpty() && report.rejected().isEmpty());
    }
}
