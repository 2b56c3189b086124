package io.visca.gateway.registry.provider.managed;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.registry.dashboard.DashboardClient;

/**
 * The built-in managed providers on a registry started on an empty database of its own (the other tests share one
 * database, where they may delete or replace {@code openai}): seeded at start, listed without credentials until a
 * secret file appears, not re-created once removed, updated by a newer catalogue only while unedited. The environment
 * is not read for secrets here ({@code GATEWAY_SECRETS_FROM_ENV=false}), so a key set on the build machine changes
 * nothing; the tests run in order, each on what the one before left.
 */
@QuarkusTest
@TestProfile(ManagedProvidersFreshStartTests.FreshDatabase.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagedProvidersFreshStartTests {

    /** A database no other test uses, secrets from the test secret files only. */
    public static class FreshDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> db = GatewayInfraResource.database("registry_managed_fresh");
            return Map.of("quarkus.datasource.reactive.url", db.get("url"),
                    "quarkus.datasource.jdbc.url", "jdbc:" + db.get("url"),
                    "quarkus.datasource.username", db.get("user"),
                    "quarkus.datasource.password", db.get("password"),
                    "registry.secrets.from-env", "false");
        }
    }

    private static final Path SECRETS = Path.of("target", "test-secrets");

    @Inject
    ManagedProviders managed;

    @Test
    @Order(1)
    void listsOpenAiAndAnthropicWithoutCredentialsOnAFreshStart() {
        JsonPath list = admin().get("/api/providers").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("missing"), list.getList("findAll { it.name == 'openai' }.credentials"));
        assertEquals(List.of(List.of("OPENAI_API_KEY")), list.getList("findAll { it.name == 'openai' }"
                + ".missing_secrets"));
        assertEquals(List.of(true), list.getList("findAll { it.name == 'anthropic' }.managed"));
        // a provider of PROVIDERS_DIR is not managed
        assertEquals(List.of(false), list.getList("findAll { it.name == 'seeded-ollama' }.managed"));

        admin().get("/api/providers/openai").then().statusCode(200)
                .body("managed", equalTo(true))
                .body("credentials", equalTo("missing"))
                .body("auth.api_key", equalTo("${OPENAI_API_KEY}"))
                .body("endpoints[0].base_url", equalTo("https://api.openai.com/v1"))
                .body("models.id", hasItems("gpt-5", "gpt-4o-mini", "o3", "text-embedding-3-small"))
                .body("models.find { it.id == 'text-embedding-3-small' }.mode", equalTo("embedding"));
        String openai = admin().get("/api/providers/openai").then().extract().asString();
        assertTrue(openai.contains("\"cost_per_1k_input\":0.00015,\"cost_per_1k_output\":0.0006,"
                + "\"cost_per_1k_cached_input\":0.000075"), openai);
        admin().get("/api/providers/anthropic").then().statusCode(200)
                .body("auth.auth_type", equalTo("header"))
                .body("auth.header_name", equalTo("x-api-key"))
                .body("missing_secrets", equalTo(List.of("ANTHROPIC_API_KEY")))
                .body("models.id", hasItems("claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5"));

        Document page = DashboardClient.login().page("/providers");
        assertNotNull(page.selectFirst("tr[data-provider=openai] .badge.no-credentials"), page.html());
        assertNotNull(page.selectFirst("tr[data-provider=openai] .badge.managed"));
        assertNull(page.selectFirst("tr[data-provider=seeded-ollama] .badge"));
    }

    @Test
    @Order(2)
    void credentialsAreOkOnceTheSecretFileAppears() throws Exception {
        Files.createDirectories(SECRETS);
        Path file = SECRETS.resolve("ANTHROPIC_API_KEY");
        try {
            Files.writeString(file, "sk-ant-fresh-start-test-value");
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            String credentials;
            do {
                credentials = admin().get("/api/providers/anthropic").then().statusCode(200).extract()
                        .path("credentials");
                if (!"ok".equals(credentials)) {
                    Thread.sleep(200);
                }
            } while (!"ok".equals(credentials) && System.nanoTime() < deadline);
            assertEquals("ok", credentials);
            String shown = admin().get("/api/providers/anthropic").then().body("missing_secrets", equalTo(List.of()))
                    .extract().asString();
            assertTrue(!shown.contains("sk-ant-fresh-start-test-value"), "never the value");
            admin().get("/api/providers/openai").then().body("credentials", equalTo("missing"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    @Order(3)
    void aRemovedManagedProviderIsNotCreatedAgainAtTheNextStart() {
        admin().delete("/api/providers/openai").then().statusCode(204);

        ManagedProviders.Report second = managed.seed(null);

        assertEquals(List.of("openai"), second.removed());
        assertEquals(List.of("anthropic"), second.unchanged());
        assertTrue(second.created().isEmpty(), second.toString());
        admin().get("/api/providers/openai").then().statusCode(404);

        // a provider created by hand under the name is the operator's own
        admin().body(json("{'name':'openai','type':'openai-compatible','base_url':'https://proxy.example.com/v1',"
                + "'api_key':'${OPENAI_API_KEY}','models':[{'id':'gpt-4o-mini'}]}")).post("/api/providers").then()
                .statusCode(201);
        admin().get("/api/providers/openai").then().body("managed", equalTo(false));
        assertEquals(List.of("openai"), managed.seed(null).removed());
        admin().get("/api/providers/openai").then().body("endpoints[0].base_url",
                equalTo("https://proxy.example.com/v1"));
    }

    @Test
    @Order(4)
    void aNewerCatalogueUpdatesAnUneditedManagedProviderAndLeavesAnEditedOneAlone(@TempDir Path dir)
            throws Exception {
        Path newer = dir.resolve("newer.json");
        Files.writeString(newer, catalogue("2099-01-01", "0.002"));

        ManagedProviders.Report report = managed.seed(newer);

        assertEquals(List.of("anthropic"), report.updated(), report.toString());
        assertEquals(List.of("openai"), report.removed());
        admin().get("/api/providers/anthropic").then().body("managed", equalTo(true))
                .body("models.id", equalTo(List.of("claude-sonnet-4-5")))
                .body("models[0].cost_per_1k_input", equalTo(0.002f));

        // the operator edits it
        admin().body(json("{'type':'anthropic','base_url':'https://api.anthropic.com','auth':{'auth_type':'header',"
                + "'header_name':'x-api-key','api_key':'${ANTHROPIC_API_KEY}'},'models':[{'id':'claude-sonnet-4-5',"
                + "'cost_per_1k_input':0.0025,'cost_per_1k_output':0.015}]}")).put("/api/providers/anthropic").then()
                .statusCode(200);
        Files.writeString(newer, catalogue("2099-02-01", "0.004"));

        ManagedProviders.Report later = managed.seed(newer);

        assertEquals(List.of("anthropic"), later.edited(), later.toString());
        admin().get("/api/providers/anthropic").then().body("models[0].cost_per_1k_input", equalTo(0.0025f))
                .body("managed", equalTo(true));
    }

    private static String catalogue(String asOf, String price) {
        return json("{'as_of':'" + asOf + "','providers':[{'name':'anthropic','type':'anthropic',"
                + "'base_url':'https://api.anthropic.com','auth':{'auth_type':'header','header_name':'x-api-key',"
                + "'api_key':'${ANTHROPIC_API_KEY}'},'models':[{'id':'claude-sonnet-4-5','cost_per_1k_input':'"
                + price + "','cost_per_1k_output':'0.015'}]},{'name':'openai','type':'openai-compatible',"
                + "'base_url':'https://api.openai.com/v1','api_key':'${OPENAI_API_KEY}','models':[{'id':'gpt-5'}]}]}");
    }
}
