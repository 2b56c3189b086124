package io.visca.gateway.registry.provider.managed;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.registry.LogCapture;

/**
 * {@code GATEWAY_MANAGED_PROVIDERS_FILE}: a catalogue of the same format replaces the built-in one; a bad one seeds
 * nothing and says why, never quoting the file. Run on catalogues of their own, with provider names no other test
 * uses.
 */
@QuarkusTest
class ManagedProvidersTests {

    @Inject
    ManagedProviders managed;

    private static String provider(String name, String baseUrl) {
        return "{'name':'" + name + "','type':'openai-compatible','base_url':'" + baseUrl + "',"
                + "'api_key':'${MANAGED_TEST_API_KEY}','models':[{'id':'gpt-5-mini','context_window':400000,"
                + "'cost_per_1k_input':'0.00025','cost_per_1k_output':'0.002','cost_per_1k_cached_input':'0.000025'}]}";
    }

    @Test
    void anOverrideFileReplacesTheBuiltInCatalogue(@TempDir Path dir) throws Exception {
        String name = uniqueName("managed-override");
        Path file = dir.resolve("catalogue.json");
        Files.writeString(file, json("{'as_of':'2030-01-31','notes':'a fake','providers':["
                + provider(name, "http://127.0.0.1:9/v1") + "]}"));

        ManagedProviders.Report report = managed.seed(file);

        assertEquals(List.of(name), report.created(), report.toString());
        assertTrue(report.removed().isEmpty() && report.unchanged().isEmpty() && report.notManaged().isEmpty(),
                "the built-in providers are not part of this run: " + report);
        admin().get("/api/providers/" + name).then().statusCode(200)
                .body("managed", equalTo(true))
                .body("credentials", equalTo("missing"))
                .body("missing_secrets", equalTo(List.of("MANAGED_TEST_API_KEY")))
                .body("endpoints[0].base_url", equalTo("http://127.0.0.1:9/v1"))
                .body("models[0].id", equalTo("gpt-5-mini"));
        // like any provider: disabled and removed through the API
        admin().body("{\"enabled\":false}").patch("/api/providers/" + name).then().statusCode(200)
                .body("enabled", equalTo(false));
        admin().get("/api/providers/" + name).then().body("managed", equalTo(true));
        admin().delete("/api/providers/" + name).then().statusCode(204);
        assertEquals(List.of(name), managed.seed(file).removed());
        admin().get("/api/providers/" + name).then().statusCode(404);
    }

    @Test
    void aBadCatalogueFileSeedsNothingAndIsLoggedWithoutItsContent(@TempDir Path dir) throws Exception {
        String literal = "sk-never-logged-5521";
        String name = uniqueName("managed-bad");
        Path noDate = dir.resolve("no-date.json");
        Files.writeString(noDate, json("{'providers':[" + provider(name, "https://a.example.com/v1") + "]}"));
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"as_of\": \"2030-01-01\", \"providers\": [{\"api_key\": \"" + literal + "\"");
        Path badDate = dir.resolve("bad-date.json");
        Files.writeString(badDate, json("{'as_of':'" + literal + "','providers':[" + provider(name,
                "https://a.example.com/v1") + "]}"));

        List<String> logged = LogCapture.of(ManagedProviders.class, () -> {
            assertNotNull(managed.seed(noDate).catalogueError());
            assertNotNull(managed.seed(broken).catalogueError());
            assertNotNull(managed.seed(badDate).catalogueError());
            assertTrue(managed.seed(dir.resolve("absent.json")).catalogueError().contains("cannot be read"));
        });

        admin().get("/api/providers/" + name).then().statusCode(404);
        String all = String.join("\n", logged);
        assertTrue(all.contains("as_of is required"), all);
        assertTrue(all.contains("as_of must be a date"), all);
        assertTrue(all.contains("no managed provider seeded"), all);
        assertFalse(all.contains(literal), all);
        assertFalse(all.contains("never-logged"), all);
    }

    @Test
    void aProviderOfTheCatalogueThatFailsValidationIsSkippedAndTheOthersSeeded(@TempDir Path dir) throws Exception {
        String good = uniqueName("managed-good");
        String bad = uniqueName("managed-invalid");
        Path file = dir.resolve("catalogue.json");
        Files.writeString(file, json("{'as_of':'2030-01-31','providers':[{'name':'" + bad + "','type':'nope',"
                + "'base_url':'https://a.example.com'}," + provider(good, "https://b.example.com/v1") + "]}"));

        ManagedProviders.Report report = managed.seed(file);

        assertEquals(List.of(bad), report.rejected());
        assertEquals(List.of(good), report.created());
        admin().get("/api/providers/" + bad).then().statusCode(404);
    }

    @Test
    void anExistingProviderOfTheSameNameStaysTheOperatorsOwn(@TempDir Path dir) throws Exception {
        String name = uniqueName("managed-taken");
        admin().body(json(provider(name, "https://own.example.com/v1"))).post("/api/providers").then().statusCode(201);
        Path file = dir.resolve("catalogue.json");
        Files.writeString(file, json("{'as_of':'2030-01-31','providers':[" + provider(name,
                "https://catalogue.example.com/v1") + "]}"));

        assertEquals(List.of(name), managed.seed(file).notManaged());
        admin().delete("/api/providers/" + name).then().statusCode(204);
        assertEquals(List.of(name), managed.seed(file).notManaged(), "never created once the operator had it");
        admin().get("/api/providers/" + name).then().statusCode(404);
    }
}
