package io.visca.gateway.system;

import static io.visca.gateway.system.SystemHttp.json;
import static io.visca.gateway.system.SystemHttp.pause;
import static io.visca.gateway.system.SystemHttp.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import io.visca.gateway.fakes.FakeAnthropicServer;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.fakes.RecordedRequest;

/**
 * The product page ({@code shared/product-page.md}), top to bottom, against the real services as processes and fake
 * upstreams: its configuration JSON as printed, Test Connection, enabling routing, the Python client's request (here
 * with the official OpenAI Java SDK, whose {@code additionalBodyProperties} is Python's {@code extra_body}), the
 * routing example verbatim (OpenAI and Anthropic built in, first without keys, then with), the {@code ${API_KEY}}
 * auth example, the health check, the three-endpoint load-balancing example exactly as printed (no {@code models},
 * weights 1:1:2), and the vLLM example with its slash model id. Only host names and ports are the fakes'.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProductPageWalkthroughTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The page's examples as files, verbatim ({@code examples/product-page/}); the tests change only hosts. */
    private static final Path EXAMPLES = Path.of("..", "examples", "product-page");

    /** The managed providers' catalogue as the repository ships it. */
    private static final Path CATALOGUE = Path.of("..", ManagedCatalogue.PATH);

    private static final String OPENAI_KEY = "sk-fake-openai-" + UUID.randomUUID();
    private static final String ANTHROPIC_KEY = "sk-ant-fake-" + UUID.randomUUID();
    private static final String PAGE_API_KEY = "page-api-key-" + UUID.randomUUID();

    private static FakeOpenAiServer vllm;
    private static FakeOpenAiServer openai;
    private static FakeAnthropicServer anthropic;
    private static final List<FakeOpenAiServer> cluster = new ArrayList<>();
    private static FakeOpenAiServer llama2;
    private static FakeOpenAiServer keyed;
    private static Path secretsDir;
    private static GatewayStack stack;
    private static OpenAIClient client;

    @BeforeAll
    static void startGateway() throws IOException {
        vllm = FakeOpenAiServer.start().models("llama-3-70b");
        JsonNode catalogue = JSON.readTree(Files.readString(CATALOGUE));
        openai = FakeOpenAiServer.start().models(ManagedCatalogue.modelIds(catalogue, "openai"))
                .requireApiKey(OPENAI_KEY);
        anthropic = FakeAnthropicServer.start().models(ManagedCatalogue.upstreamIds(catalogue, "anthropic"))
                .requireApiKey(ANTHROPIC_KEY);
        for (int i = 0; i < 3; i++) {
            cluster.add(FakeOpenAiServer.start().models("meta-llama/Meta-Llama-3-70B-Instruct"));
        }
        llama2 = FakeOpenAiServer.start().models("meta-llama/Llama-2-70b-hf");
        keyed = FakeOpenAiServer.start().models("page-auth-model").requireApiKey(PAGE_API_KEY);

        // the built-in definitions, with only their base URLs pointed at the fakes
        Path managed = Files.createTempDirectory("managed-providers").resolve("managed-providers.json");
        Files.writeString(managed, ManagedCatalogue.pointedAt(catalogue,
                Map.of("openai", openai.baseUrl(), "anthropic", anthropic.baseUrl())).toString());
        secretsDir = Files.createTempDirectory("gateway-secrets");
        Map<String, String> environment = new HashMap<>();
        environment.put(ManagedCatalogue.FILE_VARIABLE, managed.toString());
        environment.put("GATEWAY_SECRETS_DIR", secretsDir.toString());
        environment.put("GATEWAY_SECRETS_REFRESH", "1s");
        environment.put("API_KEY", PAGE_API_KEY);
        stack = GatewayStack.withBilling("admin-" + UUID.randomUUID(), "service-" + UUID.randomUUID(), environment);
        client = OpenAIOkHttpClient.builder().baseUrl(stack.router.url() + "/v1")
                .apiKey(stack.admin.createKey("product-page")[1]).maxRetries(0).build();
    }

    @AfterAll
    static void stopGateway() {
        if (stack != null) {
            stack.close();
        }
        for (var fake : List.of(vllm, openai, llama2, keyed)) {
            fake.close();
        }
        anthropic.close();
        cluster.forEach(FakeOpenAiServer::close);
    }

    @Test
    @Order(1)
    void aFreshGatewayListsOpenAiAndAnthropicWithoutCredentials() {
        for (String name : List.of("openai", "anthropic")) {
            JsonNode provider = awaitProvider(name);
            assertEquals("missing", provider.path("credentials").asText(), provider.toString());
        }
    }

    @Test
    @Order(2)
    void theConfigurationAsPrintedSavesAndPassesTestConnection() {
        HttpResponse<String> saved = admin("POST", "/api/providers", configuration());
        assertEquals(201, saved.statusCode(), saved.body());
        assertFalse(saved.body().contains("your-api-key"), "the literal key is never answered");

        HttpResponse<String> tested = admin("POST", "/api/providers/my-vllm-server/test", "");
        assertEquals(200, tested.statusCode(), tested.body());
        assertTrue(json(tested.body()).path("ok").asBoolean(), tested.body());
    }

    @Test
    @Order(3)
    void enablingRoutingPutsTheCustomModelInTheRoutingConfiguration() {
        HttpResponse<String> routing = admin("PUT", "/api/routing/auto", """
                {"strategy": "cost-optimized", "providers": ["my-vllm-server", "openai", "anthropic"],
                 "fallback": true}""");
        assertEquals(200, routing.statusCode(), routing.body());
    }

    @Test
    @Order(4)
    void thePythonClientsRequestIsServedByTheCustomModel() {
        HttpResponseFor<ChatCompletion> response = awaitServed(() -> client.chat().completions().withRawResponse()
                .create(ChatCompletionCreateParams.builder().model("llama-3-70b").addUserMessage("Hello!").build()));
        assertEquals("my-vllm-server", header(response, "x-visca-provider"));
        assertFalse(response.parse().choices().get(0).message().content().orElseThrow().isEmpty());
        RecordedRequest upstream = vllm.requests().get(vllm.requests().size() - 1);
        assertEquals("Bearer your-api-key", upstream.header("authorization"), "the page's api_key goes upstream");
    }

    @Test
    @Order(5)
    void theRoutingExampleIsServedByTheCustomModelWhileOpenAiAndAnthropicHaveNoKeys() {
        HttpResponseFor<ChatCompletion> response = client.chat().completions().withRawResponse()
                .create(pageRoutingExample(List.of("my-vllm-server", "openai", "anthropic")));
        assertEquals(200, response.statusCode());
        assertEquals("my-vllm-server", header(response, "x-visca-provider"));
        String skipped = header(response, "x-visca-skipped");
        assertTrue(skipped.contains("openai: no credentials (OPENAI_API_KEY")
                && skipped.contains("anthropic: no credentials (ANTHROPIC_API_KEY"), skipped);
        assertEquals(List.of(), openai.requests().stream().filter(r -> r.path().contains("chat")).toList());
    }

    @Test
    @Order(6)
    void withKeysTheRoutingExamplePicksByTheCataloguesPrices() throws IOException {
        Files.writeString(secretsDir.resolve("OPENAI_API_KEY"), OPENAI_KEY);
        Files.writeString(secretsDir.resolve("ANTHROPIC_API_KEY"), ANTHROPIC_KEY);
        JsonNode catalogue = JSON.readTree(Files.readString(CATALOGUE));
        Map<String, BigDecimal[]> prices = ManagedCatalogue.chatPrices(catalogue);
        prices.put("my-vllm-server/llama-3-70b", new BigDecimal[] { new BigDecimal("0.0001"),
                new BigDecimal("0.0002") });

        // the page's providers: the cheapest of the three by the catalogue's prices (the page's llama is cheap)
        String cheapest = ManagedCatalogue.cheapest(prices, List.of("my-vllm-server", "openai", "anthropic"));
        HttpResponseFor<ChatCompletion> page = awaitServedWithoutSkips(
                List.of("my-vllm-server", "openai", "anthropic"));
        assertEquals(cheapest, header(page, "x-visca-provider") + "/" + header(page, "x-visca-model"));

        // the managed ones alone: the catalogue decides between OpenAI's and Anthropic's models
        String managedCheapest = ManagedCatalogue.cheapest(prices, List.of("openai", "anthropic"));
        HttpResponseFor<ChatCompletion> managed = client.chat().completions().withRawResponse()
                .create(pageRoutingExample(List.of("openai", "anthropic")));
        assertEquals(managedCheapest, header(managed, "x-visca-provider") + "/" + header(managed, "x-visca-model"));
        FakeOpenAiServer served = managedCheapest.startsWith("openai/") ? openai : null;
        if (served != null) {
            RecordedRequest upstream = served.requests().get(served.requests().size() - 1);
            assertEquals("Bearer " + OPENAI_KEY, upstream.header("authorization"));
        }

        // the custom server fails: "fallback": true moves on to the next cheapest
        vllm.failWith(503, null);
        try {
            HttpResponseFor<ChatCompletion> fellBack = client.chat().completions().withRawResponse()
                    .create(pageRoutingExample(List.of("my-vllm-server", "openai", "anthropic")));
            assertEquals(200, fellBack.statusCode());
            assertFalse("my-vllm-server".equals(header(fellBack, "x-visca-provider")));
        } finally {
            vllm.healthy();
        }
    }

    @Test
    @Order(7)
    void theApiKeyAuthExampleReadsTheVariable() {
        ObjectNode provider = (ObjectNode) json("""
                {"name": "page-auth", "type": "openai-compatible", "base_url": "%s",
                 "models": [{"id": "page-auth-model"}]}""".formatted(keyed.baseUrl()));
        provider.set("auth", json(example("authentication.json")));
        HttpResponse<String> saved = admin("POST", "/api/providers", provider.toString());
        assertEquals(201, saved.statusCode(), saved.body());
        HttpResponseFor<ChatCompletion> response = awaitServed(() -> client.chat().completions().withRawResponse()
                .create(ChatCompletionCreateParams.builder().model("page-auth-model").addUserMessage("Hello!")
                        .build()));
        assertEquals("page-auth", header(response, "x-visca-provider"));
        assertEquals("Bearer " + PAGE_API_KEY, keyed.requests().get(keyed.requests().size() - 1)
                .header("authorization"));
    }

    @Test
    @Order(8)
    void theHealthCheckExampleFindsTheServerUp() {
        ObjectNode withHealth = (ObjectNode) json(configuration());
        withHealth.setAll((ObjectNode) json(example("health-check.json")));
        HttpResponse<String> saved = admin("PUT", "/api/providers/my-vllm-server", withHealth.toString());
        assertEquals(200, saved.statusCode(), saved.body());

        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        String status = null;
        while (System.nanoTime() < deadline && !"UP".equals(status)) {
            HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(stack.healthMonitor.url()
                    + "/api/health/my-vllm-server")).header("Authorization", "Bearer " + stack.adminToken));
            status = health.statusCode() == 200 ? json(health.body()).path("endpoints").path(0).path("status").asText()
                    : null;
            pause(250);
        }
        assertEquals("UP", status);
    }

    @Test
    @Order(9)
    void theLoadBalancingExampleAsPrintedDiscoversItsModelsAndSplitsOneOneTwo() {
        HttpResponse<String> saved = admin("POST", "/api/providers", example("load-balancing.json",
                "https://llama-1.example.com/v1", cluster.get(0).baseUrl(), "https://llama-2.example.com/v1",
                cluster.get(1).baseUrl(), "https://llama-3.example.com/v1", cluster.get(2).baseUrl()));
        assertEquals(201, saved.statusCode(), saved.body());

        String model = "meta-llama/Meta-Llama-3-70B-Instruct";
        awaitServed(() -> client.chat().completions().withRawResponse()
                .create(ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello!").build()));
        cluster.forEach(FakeOpenAiServer::clearRequests);
        for (int i = 0; i < 40; i++) {
            HttpResponseFor<ChatCompletion> response = client.chat().completions().withRawResponse()
                    .create(ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello!").build());
            assertEquals("llama-3-cluster", header(response, "x-visca-provider"));
        }
        List<Integer> served = cluster.stream().map(fake -> (int) fake.requests().stream()
                .filter(r -> r.path().endsWith("/chat/completions")).count()).toList();
        assertEquals(List.of(10, 10, 20), served, "smooth weighted round-robin, weights 1:1:2");

        JsonNode provider = json(admin("GET", "/api/providers/llama-3-cluster", null).body());
        assertEquals(model, provider.path("models").path(0).path("id").asText(), provider.toString());
    }

    @Test
    @Order(10)
    void theVllmExampleServesItsSlashModelId() {
        HttpResponse<String> saved = admin("POST", "/api/providers",
                example("vllm-llama2.json", "http://localhost:8000/v1", llama2.baseUrl()));
        assertEquals(201, saved.statusCode(), saved.body());
        HttpResponseFor<ChatCompletion> response = awaitServed(() -> client.chat().completions().withRawResponse()
                .create(ChatCompletionCreateParams.builder().model("meta-llama/Llama-2-70b-hf")
                        .addUserMessage("Hello!").build()));
        assertEquals("vllm-llama2", header(response, "x-visca-provider"));
        assertEquals("meta-llama/Llama-2-70b-hf", client.models().retrieve("meta-llama/Llama-2-70b-hf").id());
    }

    /** An example file of the page, with its hosts replaced (the page's host first, then the fake's). */
    private static String example(String file, String... hostPairs) {
        try {
            String text = Files.readString(EXAMPLES.resolve(file));
            for (int i = 0; i < hostPairs.length; i += 2) {
                assertTrue(text.contains(hostPairs[i]), file + " holds " + hostPairs[i]);
                text = text.replace(hostPairs[i], hostPairs[i + 1]);
            }
            return text;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The page's "Configuration", served by the fake vLLM. */
    private static String configuration() {
        return example("configuration.json", "https://my-vllm.example.com/v1", vllm.baseUrl());
    }

    /** The page's "Routing with Custom Models" request; {@code providers} as printed unless a step narrows it. */
    private static ChatCompletionCreateParams pageRoutingExample(List<String> providers) {
        return ChatCompletionCreateParams.builder().model("auto").addUserMessage("Analyze this data...")
                .putAdditionalBodyProperty("routing", JsonValue.from(Map.of("strategy", "cost-optimized",
                        "providers", providers, "fallback", true)))
                .build();
    }

    /** The routing example, sent until the keys have reached the router (secret files are read every second). */
    private static HttpResponseFor<ChatCompletion> awaitServedWithoutSkips(List<String> providers) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponseFor<ChatCompletion> last;
        do {
            last = client.chat().completions().withRawResponse().create(pageRoutingExample(providers));
            if (last.headers().values("x-visca-skipped").stream().noneMatch(s -> s.contains("no credentials"))) {
                return last;
            }
        } while (System.nanoTime() < deadline && pause(250));
        throw new AssertionError("still skipped: " + last.headers().values("x-visca-skipped"));
    }

    /** Sends until the router has the provider (a new provider reaches it by an event, a moment later). */
    private static <T> T awaitServed(Supplier<T> call) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        RuntimeException last;
        do {
            try {
                return call.get();
            } catch (RuntimeException e) {
                last = e;
            }
        } while (System.nanoTime() < deadline && pause(250));
        throw last;
    }

    private static String header(HttpResponseFor<?> response, String name) {
        List<String> values = response.headers().values(name);
        return values.isEmpty() ? null : values.get(0);
    }

    private static JsonNode awaitProvider(String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> last;
        do {
            last = admin("GET", "/api/providers/" + name, null);
            if (last.statusCode() == 200) {
                return json(last.body());
            }
        } while (System.nanoTime() < deadline && pause(250));
        throw new AssertionError(name + ": " + last.statusCode() + " " + last.body());
    }

    private static HttpResponse<String> admin(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.registry.url() + path))
                .header("Authorization", "Bearer " + stack.adminToken).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return send(request);
    }
}
