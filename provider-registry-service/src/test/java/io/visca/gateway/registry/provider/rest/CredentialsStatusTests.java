package io.visca.gateway.registry.provider.rest;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.registry.TestApi;

/**
 * {@code credentials} and {@code missing_secrets} of every provider in GET: whether its {@code ${NAME}} references
 * resolve in this registry (names only, never values), and never a reason to refuse it.
 */
@QuarkusTest
class CredentialsStatusTests {

    @Test
    void namesTheReferencesThatDoNotResolveWithoutRefusingTheProvider() {
        String name = uniqueName("creds-missing");
        TestApi.create(TestApi.openAiProvider(name, "${CREDS_UNSET_API_KEY}"));
        admin().get("/api/providers/" + name).then().statusCode(200)
                .body("credentials", equalTo("missing"))
                .body("missing_secrets", equalTo(List.of("CREDS_UNSET_API_KEY")))
                .body("managed", equalTo(false));
        admin().get("/api/providers").then().statusCode(200)
                .body("find { it.name == '" + name + "' }.credentials", equalTo("missing"));
    }

    @Test
    void literalSecretsAreOkAndNoAuthIsNone() {
        String literal = uniqueName("creds-literal");
        TestApi.create(TestApi.openAiProvider(literal, "sk-literal-creds-test-9912"));
        admin().get("/api/providers/" + literal).then().body("credentials", equalTo("ok"))
                .body("missing_secrets", equalTo(List.of()))
                .body(not(containsString("sk-literal-creds-test-9912")));
        String none = uniqueName("creds-none");
        TestApi.create(json("{'name':'" + none + "','type':'ollama','base_url':'http://127.0.0.1:11434',"
                + "'models':[{'id':'llama3'}]}"));
        admin().get("/api/providers/" + none).then().body("credentials", equalTo("none"))
                .body("missing_secrets", equalTo(List.of()));
    }

    @Test
    void theStatusFieldsOfAGetCanBeSentBackWithAPut() {
        String name = uniqueName("creds-roundtrip");
        TestApi.create(TestApi.openAiProvider(name, "${CREDS_UNSET_API_KEY}"));
        String read = admin().get("/api/providers/" + name).then().extract().asString();
        admin().body(read).put("/api/providers/" + name).then().statusCode(200);
        admin().get("/api/providers/" + name).then().body(equalTo(read));
    }
}
