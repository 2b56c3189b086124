package io.visca.gateway.registry;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.visca.gateway.auth.SecretCipher;
import io.visca.gateway.auth.SecretKeys;

/** Requests as the admin, as a service, and small provider documents for the tests. */
public final class TestApi {

    public static final String ADMIN_TOKEN = "test-admin-token";
    public static final String SERVICE_TOKEN = "test-service-token";
    /** The %test profile's secrets key ({@code registry.secrets.dev-key}): the tests open stored values with it. */
    public static final SecretCipher SECRETS = new SecretCipher(
            SecretKeys.of("test-only-secret-key-not-for-use".getBytes(StandardCharsets.US_ASCII)));
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    private TestApi() {
    }

    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + ADMIN_TOKEN).contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }

    public static RequestSpecification service() {
        return given().header("Authorization", "Bearer " + SERVICE_TOKEN).accept(ContentType.JSON);
    }

    /** The body of an answer with its numbers as exact decimals ({@code BigDecimal}), not floats. */
    public static JsonPath exact(ValidatableResponse response) {
        return JsonPath.from(response.extract().asString())
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    /** A provider name no other test uses (the database lives as long as the test JVM). */
    public static String uniqueName(String prefix) {
        return prefix + "-" + RUN + "-" + SEQUENCE.incrementAndGet();
    }

    /** Single quotes to double quotes, so JSON reads well inside Java strings. */
    public static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** A minimal valid openai-compatible provider. */
    public static String openAiProvider(String name, String apiKey) {
        return json("{'name':'" + name + "','type':'openai-compatible','base_url':'https://api.example.com/v1',"
                + "'api_key':'" + apiKey + "','models':[{'id':'gpt-4o-mini','cost_per_1k_input':0.00015,"
                + "'cost_per_1k_output':0.0006}]}");
    }

    /**
     * The plaintext of a secret as the registry stores and sends it: asserts it is encrypted under the test key
     * (never in clear) and opens it for that provider and field.
     */
    public static String opened(String provider, String field, Object stored) {
        String value = String.valueOf(stored);
        if (!SECRETS.isCurrent(value)) {
            throw new AssertionError(field + " of " + provider + " is not encrypted under the test secrets key: "
                    + (SecretCipher.isSealed(value) ? "key " + SecretCipher.keyIdOf(value) : "in clear"));
        }
        return SECRETS.open(provider, field, value);
    }

    /** Creates a provider from {@code body}, asserting the 201. */
    public static void create(String body) {
        admin().body(body).post("/api/providers").then().statusCode(201);
    }
}
