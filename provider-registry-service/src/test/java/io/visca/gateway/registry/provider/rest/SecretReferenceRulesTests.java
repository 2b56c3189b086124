package io.visca.gateway.registry.provider.rest;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.registry.LogCapture;
import io.visca.gateway.registry.TestApi;
import io.visca.gateway.registry.dashboard.DashboardClient;
import io.visca.gateway.registry.provider.service.ProvidersDirLoader;

/**
 * Saving a provider whose {@code ${NAME}} references name what the services never resolve is a 400 naming the field
 * and the rule, through the admin API, the dashboard form and {@code PROVIDERS_DIR}; by name only, whatever the
 * registry's environment holds.
 */
@QuarkusTest
class SecretReferenceRulesTests {

    private static final String RESERVED = "which is refused: names starting with %s are the gateway's own settings "
            + "and credentials, which provider configs can never read";

    @Inject
    ProvidersDirLoader loader;

    @TempDir
    Path dir;

    private static String custom(String name, String auth, String headers) {
        return json("{'name':'" + name + "','type':'custom','base_url':'https://m.example.com','auth':" + auth
                + ",'request':{'path':'/generate','headers':" + headers + "},'transform':{'request':'.',"
                + "'response':'.'},'models':[{'id':'m'}]}");
    }

    @Test
    void refusesReferencesToTheGatewaysOwnCredentials() {
        for (String variable : List.of("GATEWAY_SERVICE_TOKEN", "GATEWAY_ADMIN_TOKEN", "DB_PASSWORD")) {
            String name = uniqueName("own-cred");
            String prefix = variable.substring(0, variable.indexOf('_') + 1);
            admin().body(TestApi.openAiProvider(name, "${" + variable + "}")).post("/api/providers").then()
                    .statusCode(400)
                    .body("error.code", equalTo("validation_failed"))
                    .body("error.violations", hasSize(1))
                    .body("error.violations[0].field", equalTo("auth.api_key"))
                    .body("error.violations[0].message", equalTo("references ${" + variable + "}, "
                            + RESERVED.formatted(prefix)))
                    .body("error.message", containsString("auth.api_key: references ${" + variable + "}"));
            admin().get("/api/providers/" + name).then().statusCode(404);
        }
    }

    @Test
    void refusesANameOutsideTheAllowPattern() {
        String name = uniqueName("pattern-miss");
        admin().body(TestApi.openAiProvider(name, "${HOME}")).post("/api/providers").then()
                .statusCode(400)
                .body("error.violations[0].field", equalTo("auth.api_key"))
                .body("error.violations[0].message", equalTo("references ${HOME}, which is refused: the name does not "
                        + "match the allowed secret names (GATEWAY_SECRET_NAMES: API_KEY|[A-Z0-9_]*_(API_KEY|KEY|TOKEN"
                        + "|SECRET|PASSWORD|CLIENT_ID|USER|USERNAME))"));
    }

    @Test
    void checksEveryFieldThatIsResolved() {
        String name = uniqueName("every-field");
        admin().body(custom(name, "{'auth_type':'basic','username':'${DB_USER}','password':'${KAFKA_SASL_PASSWORD}'}",
                "{'X-Api-Key':'${GATEWAY_ADMIN_TOKEN}','X-Tenant':'${TENANT}','X-Ok':'${OK_API_KEY}'}"))
                .post("/api/providers").then().statusCode(400)
                .body("error.violations.field", equalTo(List.of("auth.username", "auth.password",
                        "request.headers.X-Api-Key", "request.headers.X-Tenant")));
        String oauth = uniqueName("oauth-field");
        admin().body(json("{'name':'" + oauth + "','type':'openai-compatible','base_url':'https://llm.example.com',"
                + "'auth':{'auth_type':'oauth2_client_credentials','token_url':'https://login.example.com/token',"
                + "'client_id':'${QUARKUS_OIDC_CLIENT_ID}','client_secret':'${PGPASSWORD}'},'models':[{'id':'m'}]}"))
                .post("/api/providers").then().statusCode(400)
                .body("error.violations.field", equalTo(List.of("auth.client_id", "auth.client_secret")));
        String shorthand = uniqueName("shorthand");
        admin().body(json("{'name':'" + shorthand + "','type':'openai-compatible','base_url':'https://x.example.com',"
                + "'api_key':'${gateway_service_token}','models':[{'id':'m'}]}")).post("/api/providers").then()
                .statusCode(400).body("error.violations[0].field", equalTo("auth.api_key"));
    }

    @Test
    void aReplaceIsCheckedTooAndLeavesTheStoredProviderAlone() {
        String name = uniqueName("put-forbidden");
        TestApi.create(TestApi.openAiProvider(name, "${OPENAI_API_KEY}"));
        admin().body(TestApi.openAiProvider(name, "${GATEWAY_SERVICE_TOKEN}")).put("/api/providers/" + name).then()
                .statusCode(400).body("error.violations[0].field", equalTo("auth.api_key"));
        admin().get("/api/providers/" + name).then().statusCode(200).body("auth.api_key", equalTo("${OPENAI_API_KEY}"));
    }

    @Test
    void anAliasUnderAnAllowedNameIsSavedTheValueIsCheckedWhenResolved() {
        // by name only: ALIASED_SERVICE_TOKEN holds the service token in this JVM, which Test Connection refuses
        String name = uniqueName("alias-saved");
        TestApi.create(TestApi.openAiProvider(name, "${ALIASED_SERVICE_TOKEN}"));
        admin().post("/api/providers/" + name + "/test").then().statusCode(200)
                .body("endpoints[0].reason", equalTo("forbidden_secret"));
    }

    @Test
    void theDashboardFormShowsTheRuleBesideTheField() {
        DashboardClient browser = DashboardClient.login();
        String name = uniqueName("dash-forbidden");
        Map<String, Object> form = new java.util.LinkedHashMap<>(Map.of("name", name, "type", "openai-compatible",
                "enabled", "true", "base_url", "https://api.example.com/v1", "auth_type", "bearer", "api_key",
                "${GATEWAY_SERVICE_TOKEN}", "models[0].id", "m"));
        Response response = browser.post("/providers", form);
        assertEquals(400, response.statusCode(), response.asString());
        Element error = Jsoup.parse(response.asString())
                .selectFirst("#provider-form .field-error[data-field=\"auth.api_key\"]");
        assertNotNull(error, response.asString());
        assertTrue(error.text().contains("names starting with GATEWAY_ are the gateway's own settings"), error.text());
        assertNotNull(error.parent().selectFirst("input[name=api_key]"), "beside the key's input");
        admin().get("/api/providers/" + name).then().statusCode(404);
    }

    @Test
    void providersDirSkipsAForbiddenFileAndLoadsTheRest() throws Exception {
        String forbidden = uniqueName("dir-forbidden");
        String fine = uniqueName("dir-fine");
        Files.writeString(dir.resolve("a.json"), TestApi.openAiProvider(forbidden, "${GATEWAY_ADMIN_TOKEN}"));
        Files.writeString(dir.resolve("b.json"), TestApi.openAiProvider(fine, "${OPENAI_API_KEY}"));

        ProvidersDirLoader.Report[] report = new ProvidersDirLoader.Report[1];
        List<String> logged = LogCapture.of(ProvidersDirLoader.class, () -> report[0] = loader.load(dir));
        assertTrue(logged.contains("PROVIDERS_DIR: a.json rejected, not loaded: auth.api_key: references "
                + "${GATEWAY_ADMIN_TOKEN}, " + RESERVED.formatted("GATEWAY_")), String.join("\n", logged));
        assertEquals(List.of("a.json"), report[0].rejected());
        assertEquals(List.of("b.json"), report[0].created());
        admin().get("/api/providers/" + forbidden).then().statusCode(404);
        admin().get("/api/providers/" + fine).then().statusCode(200);
    }
}
