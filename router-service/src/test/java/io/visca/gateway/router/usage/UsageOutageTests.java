package io.visca.gateway.router.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.contracts.event.Topics;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;
import io.visca.gateway.router.testing.UsageTopic;

/** With the broker stopped the router serves as before; the events wait in the spool and arrive, in order, after. */
@QuarkusTest
class UsageOutageTests {

    private static FakeOpenAiServer upstream;

    @Inject
    UsageEmitter emitter;

    @BeforeAll
    static void provider() {
        upstream = FakeOpenAiServer.start().models("gpt-4o-mini").reply("Foxes hunt at dusk.");
        RegistryAdmin.putProvider("""
                {"name": "outage-openai", "type": "openai-compatible", "base_url": "%s", "api_key": "sk-test",
                 "models": [{"id": "outage-chat", "upstream_model": "gpt-4o-mini", "context_window": 128000,
                             "cost_per_1k_input": 0.15, "cost_per_1k_output": 0.6}]}""".formatted(upstream.baseUrl()));
        RouterApi.awaitModel("outage-chat");
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider("outage-openai");
        upstream.close();
    }

    @Test
    void requestsAreServedWhileKafkaIsDownAndTheirEventsArriveInOrderAfter() {
        if (!GatewayInfraResource.kafkaIsEmbedded()) {
            return; // an external broker cannot be stopped from here
        }
        try (UsageTopic topic = new UsageTopic(Topics.USAGE_RECORDED)) {
            String before = UsageEventsTests.newId();
            assertEquals(200, UsageEventsTests.chat(before, "outage-chat", false).statusCode());
            topic.await(before, Duration.ofSeconds(60)); // the sender is connected

            List<String> ids = new ArrayList<>();
            GatewayInfraResource.stopKafka();
            try {
                for (int i = 0; i < 20; i++) {
                    String id = UsageEventsTests.newId();
                    Response response = UsageEventsTests.chat(id, "outage-chat", i % 4 == 3);
                    assertEquals(200, response.statusCode(), response.asString());
                    ids.add(id);
                }
                // every request was answered while its event was not (and could not be) acknowledged
                awaitPending(ids.size());
                Response ready = RouterApi.management().get("/q/health/ready");
                assertEquals(200, ready.statusCode(), "still ready: " + ready.asString());
                assertTrue(pendingInHealth(ready) >= ids.size(), ready.asString());
            } finally {
                GatewayInfraResource.startKafka();
            }

            topic.awaitRequests(ids, Duration.ofSeconds(150));
            if (topic.partitions() == 1) {
                List<String> arrived = topic.requestIds().stream().filter(ids::contains).distinct().toList();
                assertEquals(ids, arrived, "in the order the requests finished");
            }
        }
    }

    private void awaitPending(int events) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (emitter.spool().pendingEvents() < events) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(emitter.spool().pendingEvents() + " events in the spool, expected " + events);
            }
            RouterApi.sleep(20);
        }
    }

    private static long pendingInHealth(Response ready) {
        for (var check : Chats.json(ready.asString()).path("checks")) {
            if ("usage-spool".equals(check.path("name").asText())) {
                return check.path("data").path("pending_events").asLong();
            }
        }
        throw new AssertionError("no usage-spool check: " + ready.asString());
    }
}
