package io.visca.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Which names a {@code ${NAME}} reference may resolve: the hard deny, then the allow pattern. */
class SecretPolicyTests {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(" + SecretResolver.NAME_SYNTAX + ")}");

    /** Every {@code ${NAME}} of the repository's examples/providers/*.json. */
    private static Set<String> exampleReferences() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("..", "examples", "providers"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    @Test
    void theDefaultResolvesEveryReferenceOfTheExamplesAndTheProductPage() throws IOException {
        Set<String> names = exampleReferences();
        assertTrue(names.containsAll(Set.of("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "LLAMA_API_KEY", "TGI_TOKEN",
                "CORP_CLIENT_ID", "CORP_CLIENT_SECRET", "LEGACY_USER", "LEGACY_PASSWORD")), names.toString());
        names.add("API_KEY"); // the product page's own example: "api_key": "${API_KEY}"
        Map<String, String> environment = names.stream()
                .collect(Collectors.toMap(Function.identity(), name -> "value-of-" + name));
        SecretResolver secrets = new SecretResolver(environment::get);
        for (String name : names) {
            assertNull(SecretPolicy.defaults().refusal(name), name);
            assertEquals("value-of-" + name, secrets.resolve("auth.api_key", "${" + name + "}"), name);
        }
    }

    @Test
    void neverAllowsTheGatewaysOwnSettingsWhateverThePatternSays() {
        SecretPolicy everything = SecretPolicy.allowing(".*");
        for (String name : List.of("GATEWAY_SERVICE_TOKEN", "GATEWAY_ADMIN_TOKEN", "DB_PASSWORD", "DB_USER",
                "KAFKA_SASL_PASSWORD", "QUARKUS_DATASOURCE_PASSWORD", "MP_JWT_KEY", "SMALLRYE_CONFIG_SECRET",
                "REGISTRY_DB_URL", "ROUTER_API_KEY", "BILLING_API_TOKEN", "HEALTH_ALERT_WEBHOOK_URL", "PGPASSWORD",
                "POSTGRES_PASSWORD", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "AWS_SECRET_ACCESS_KEY",
                "AZURE_CLIENT_SECRET", "GOOGLE_APPLICATION_CREDENTIALS", "GCP_SA_KEY", "KUBERNETES_SERVICE_TOKEN",
                "VAULT_TOKEN", "PROVIDERS_DIR", "ADMIN_TOKEN", "SERVICE_TOKEN", "gateway_service_token",
                "Db_Password")) {
            String refusal = everything.refusal(name);
            assertTrue(refusal != null && refusal.contains("the gateway's own settings"), name + ": " + refusal);
            assertTrue(SecretPolicy.reserved(name), name);
            assertFalse(SecretPolicy.defaults().allows(name), name);
        }
        assertEquals("names starting with GATEWAY_ are the gateway's own settings and credentials, which provider "
                + "configs can never read", everything.refusal("GATEWAY_SERVICE_TOKEN"));
    }

    @Test
    void refusesNamesTheAllowPatternDoesNotMatch() {
        for (String name : List.of("TENANT", "HOME", "PATH", "USER", "KEY", "OPENAI_API_KEY_2", "openai_api_key",
                "X_KEY_Y")) {
            assertEquals("the name does not match the allowed secret names (GATEWAY_SECRET_NAMES: "
                    + SecretPolicy.DEFAULT_ALLOWED + ")", SecretPolicy.defaults().refusal(name), name);
            assertFalse(SecretPolicy.reserved(name), name);
        }
    }

    @Test
    void anOperatorsPatternReplacesTheDefaultButNotTheHardDeny() {
        SecretPolicy policy = SecretPolicy.allowing("TENANT|[A-Z_]+_KEY");
        assertTrue(policy.allows("TENANT"));
        assertTrue(policy.allows("OPENAI_API_KEY"));
        assertFalse(policy.allows("TGI_TOKEN"), "the default no longer applies");
        assertFalse(policy.allows("XTENANT"), "the pattern matches whole names");
        assertFalse(policy.allows("GATEWAY_SIGNING_KEY"));
        assertEquals("TENANT|[A-Z_]+_KEY", policy.allowedPattern());
    }

    @Test
    void aBlankSettingMeansTheDefault() {
        assertSame(SecretPolicy.defaults(), SecretPolicy.allowing(null));
        assertSame(SecretPolicy.defaults(), SecretPolicy.allowing("  "));
    }

    @Test
    void anInvalidPatternNamesTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SecretPolicy.allowing("(API_KEY"));
        assertTrue(e.getMessage().startsWith("GATEWAY_SECRET_NAMES is not a valid Java regular expression"),
                e.getMessage());
    }
}
