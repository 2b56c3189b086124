package io.visca.gateway.registry.discovery;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.visca.gateway.contracts.event.Topics;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.registry.TestApi;

/**
 * Providers saved without {@code models} take them from their endpoints' {@code GET /models}, against real (fake)
 * OpenAI-compatible servers on loopback that require the provider's key.
 */
@QuarkusTest
class ModelDiscoveryTests {

    private static FakeOpenAiServer first;
    private static FakeOpenAiServer second;

    @BeforeAll
    static void startUpstreams() {
        first = FakeOpenAiServer.start().requireApiKey("sk-disc");
        second = FakeOpenAiServer.start().requireApiKey("sk-disc");
    }

    @AfterAll
    static void stopUpstreams() {
        first.close();
        second.close();
    }

    /** The product page's load-balancing example, pointed at the fakes, with a key. */
    private static String cluster(String name, String... baseUrls) {
        StringBuilder endpoints = new StringBuilder();
        for (int i = 0; i < baseUrls.length; i++) {
            endpoints.append(i == 0 ? "" : ",").append("{'base_url':'").append(baseUrls[i]).append("','weight':")
                    .append(i == baseUrls.length - 1 ? 2 : 1).append("}");
        }
        return json("{'name':'" + name + "','type':'openai-compatible','api_key':'sk-disc','endpoints':[" + endpoints
                + "]}");
    }

    /** The provider once its discovery has run (status no longer pending). */
    private static JsonPath discovered(String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonPath view;
        do {
            view = admin().get("/api/providers/" + name).then().statusCode(200).extract().jsonPath();
            if (!"pending".equals(view.getString("discovery.status"))) {
                return view;
            }
            sleep();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("discovery of " + name + " still pending: " + view.prettify());
    }

    @Test
    void savesAProviderWithoutModelsAndDiscoversTheUnionOfItsEndpointsListings() {
        first.models("llama-3-70b", "shared", "auto", "has space", "text-embedding-small");
        second.models("shared", "mistral-7b");
        String name = uniqueName("disc-union");
        admin().body(cluster(name, first.baseUrl(), second.baseUrl())).post("/api/providers").then()
                .statusCode(201)
                .body("models_source", equalTo("discovered"));

        JsonPath view = discovered(name);
        assertEquals("ok", view.getString("discovery.status"), view.prettify());
        assertEquals(List.of("llama-3-70b", "mistral-7b", "shared", "text-embedding-small"),
                view.getList("models.id"), "ids that are not model ids (auto, spaces) are ignored");
        assertEquals(List.of(true, true, true, true), view.getList("models.discovered"));
        assertEquals(List.of("chat", "chat", "chat", "embedding"), view.getList("models.mode"));
        assertTrue(view.getString("discovered_at") != null, view.prettify());

        // the router's and health monitor's reads carry them as the provider's models
        TestApi.service().get("/internal/providers/" + name).then().statusCode(200)
                .body("models.id", equalTo(List.of("llama-3-70b", "mistral-7b", "shared", "text-embedding-small")));
        List<String> snapshotIds = TestApi.service().get("/internal/snapshot").then().statusCode(200).extract()
                .jsonPath().getList("providers.find { it.name == '" + name + "' }.models.id");
        assertEquals(List.of("llama-3-70b", "mistral-7b", "shared", "text-embedding-small"), snapshotIds);
    }

    @Test
    void aModelNoEndpointListsAnyMoreGoesAwayAtRefreshAndTheChangeIsPublished() {
        first.models("keep-me", "drop-me");
        String name = uniqueName("disc-drop");
        TestApi.create(cluster(name, first.baseUrl()));
        assertEquals(List.of("drop-me", "keep-me"), discovered(name).getList("models.id"));

        KafkaCompanion kafka = new KafkaCompanion(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers",
                String.class));
        try {
            ConsumerTask<String, String> events = kafka.consumeStrings().withGroupId("test-" + UUID.randomUUID())
                    .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(Topics.PROVIDER_CHANGED);
            first.models("keep-me");
            admin().post("/api/providers/" + name + "/models/refresh").then().statusCode(200)
                    .body("models.id", equalTo(List.of("keep-me")))
                    .body("discovery.status", equalTo("ok"));
            TestApi.service().get("/internal/providers/" + name).then()
                    .body("models.id", equalTo(List.of("keep-me")));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (events.getRecords().stream().noneMatch(r -> name.equals(r.key())
                    && r.value().contains("\"models_discovered\""))) {
                assertTrue(System.nanoTime() < deadline, "no models_discovered event for " + name);
                sleep();
            }
            events.close();
        } finally {
            kafka.close();
        }
    }

    @Test
    void anUnreachableEndpointDoesNotStopTheSaveAndTheStatusSaysWhy() {
        String name = uniqueName("disc-down");
        long start = System.nanoTime();
        admin().body(cluster(name, "http://127.0.0.1:1/v1")).post("/api/providers").then().statusCode(201);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "the save waited for the upstream");

        JsonPath view = discovered(name);
        assertEquals("failed", view.getString("discovery.status"), view.prettify());
        assertEquals(List.of(), view.getList("models"));
        String error = view.getString("discovery.error");
        assertTrue(error.contains("127.0.0.1:1") && error.contains("connection refused"), error);
        assertTrue(!error.contains("sk-disc"), error);
    }

    @Test
    void anEndpointThatFailsKeepsItsLastListingWhileTheOthersRefresh() {
        FakeOpenAiServer flaky = FakeOpenAiServer.start().requireApiKey("sk-disc").models("only-on-flaky");
        try {
            second.models("on-second");
            String name = uniqueName("disc-partial");
            TestApi.create(cluster(name, flaky.baseUrl(), second.baseUrl()));
            assertEquals(List.of("on-second", "only-on-flaky"), discovered(name).getList("models.id"));

            flaky.stop(); // a replica restarting
            admin().post("/api/providers/" + name + "/models/refresh").then().statusCode(200)
                    .body("discovery.status", equalTo("partial"))
                    .body("discovery.error", containsString("connection refused"))
                    .body("models.id", equalTo(List.of("on-second", "only-on-flaky")));
        } finally {
            flaky.close();
        }
    }

    @Test
    void aProviderSentBackAsReadKeepsDiscoveringItsModels() {
        first.models("round-trip");
        String name = uniqueName("disc-put");
        TestApi.create(cluster(name, first.baseUrl()));
        String shown = discovered(name).prettify();

        admin().body(shown.replace("\"weight\": 2", "\"weight\": 3")).put("/api/providers/" + name).then()
                .statusCode(200)
                .body("models_source", equalTo("discovered"))
                .body("endpoints[0].weight", equalTo(3));
        admin().get("/api/providers/" + name).then()
                .body("models.id", equalTo(List.of("round-trip")))
                .body("models[0].discovered", equalTo(true));
    }

    @Test
    void typesWithoutAModelListingStillRequireModels() {
        admin().body(json("{'name':'" + uniqueName("disc-custom") + "','type':'custom','base_url':'"
                + first.baseUrl() + "','request':{'method':'POST','path':'/generate'},"
                + "'transform':{'request':'{prompt: .messages[-1].content}','response':'{choices: []}'}}"))
                .post("/api/providers").then().statusCode(400)
                .body("error.param", equalTo("models"))
                .body("error.message", containsString("is required for type custom: it has no model listing"));
        admin().body(json("{'name':'" + uniqueName("disc-repl") + "','type':'replicate',"
                + "'base_url':'https://api.replicate.com/v1'}")).post("/api/providers").then().statusCode(400)
                .body("error.violations.field", equalTo(List.of("models")));
    }

    @Test
    void refreshingAProviderWithConfiguredModelsIsAConflict() {
        String name = uniqueName("disc-conf");
        TestApi.create(TestApi.openAiProvider(name, "sk-x"));
        admin().get("/api/providers/" + name).then().body("models_source", equalTo("configured"));
        admin().post("/api/providers/" + name + "/models/refresh").then().statusCode(409)
                .body("error.code", equalTo("models_configured"))
                .body("request_id", org.hamcrest.Matchers.notNullValue());
        admin().post("/api/providers/no-such-provider/models/refresh").then().statusCode(404);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
