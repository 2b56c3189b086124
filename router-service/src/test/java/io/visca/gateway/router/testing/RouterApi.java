package io.visca.gateway.router.testing;

import static io.restassured.RestAssured.given;

import java.time.Duration;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.specification.RequestSpecification;
import io.visca.gateway.infra.test.ManagementInterface;

/** The router under test as clients see it: its URL, a client key, the official OpenAI SDK pointed at it. */
public final class RouterApi {

    private static String[] key;

    private RouterApi() {
    }

    /** Known once Quarkus has started, also in {@code @BeforeAll} (RestAssured's port is set per test). */
    public static String baseUrl() {
        return TestHTTPResourceManager.getUri();
    }

    /** A request to the router's management interface (health, metrics): its own port, not the /v1 one. */
    public static RequestSpecification management() {
        return given().baseUri(ManagementInterface.url());
    }

    /** A client key issued by the registry for these tests, once the router has it. */
    public static synchronized String key() {
        if (key == null) {
            key = RegistryAdmin.createKey("router-tests");
            awaitStatus("/v1/models", key[1], 200);
        }
        return key[1];
    }

    /** The official SDK, configured as an app would be: only {@code base_url} points at the gateway. */
    public static OpenAIClient sdk() {
        return sdk(key());
    }

    public static OpenAIClient sdk(String apiKey) {
        return OpenAIOkHttpClient.builder().apiKey(apiKey).baseUrl(baseUrl() + "/v1").maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    /** A raw request with the client key, for headers and error bodies. */
    public static RequestSpecification request() {
        return given().baseUri(baseUrl()).header("Authorization", "Bearer " + key()).contentType("application/json");
    }

    /** Waits until {@code GET path} answers {@code status} (the router applies registry changes asynchronously). */
    public static void awaitStatus(String path, String apiKey, int status) {
        awaitStatus(path, apiKey, status, Duration.ofSeconds(10));
    }

    public static void awaitStatus(String path, String apiKey, int status, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = given().baseUri(baseUrl()).header("Authorization", "Bearer " + apiKey).get(path).statusCode();
            if (last == status) {
                return;
            }
            sleep(25);
        }
        throw new AssertionError("GET " + path + " still answers " + last + ", expected " + status);
    }

    /** Waits until the router serves {@code model}; @return how long that took. */
    public static Duration awaitModel(String model) {
        long start = System.nanoTime();
        awaitStatus("/v1/models/" + model, key(), 200);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    public static void awaitModelGone(String model) {
        awaitStatus("/v1/models/" + model, key(), 404);
    }

    /**
     * After an upstream 429 the router keeps requests away from that provider for its {@code Retry-After} (the fakes
     * send 1 s): tests that go on with the same provider wait it out, as a client would.
     */
    public static void waitOutRetryAfter() {
        sleep(1_100);
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
