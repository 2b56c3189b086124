package io.visca.gateway.router.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RegistryServiceResource;
import io.visca.gateway.router.testing.RouterApi;

/**
 * The router follows the registry: the snapshot at start, {@code provider-changed} events over the real broker
 * after that, and its last snapshot while the registry or Kafka is away.
 */
@QuarkusTest
class RegistrySyncTests {

    private static final Logger LOG = Logger.getLogger(RegistrySyncTests.class);
    /** Far below the 30 s periodic refresh, so only the event can explain a change seen this fast. */
    private static final Duration EVENT_BOUND = Duration.ofSeconds(5);
    private static FakeOpenAiServer upstream;

    @BeforeAll
    static void upstream() {
        upstream = FakeOpenAiServer.start().models("sync-model", "sync-model-2").reply("synced");
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider("sync-provider");
        upstream.close();
    }

    private static String provider(String... models) {
        StringBuilder list = new StringBuilder();
        for (String model : models) {
            list.append(list.length() == 0 ? "" : ",").append("{\"id\":\"").append(model).append("\"}");
        }
        return "{\"name\":\"sync-provider\",\"type\":\"openai-compatible\",\"base_url\":\"" + upstream.baseUrl()
                + "\",\"auth\":{\"auth_type\":\"none\"},\"models\":[" + list + "]}";
    }

    private static int chat(String model) {
        return RouterApi.request().body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"hi\"}]}").post("/v1/chat/completions").statusCode();
    }

    @Test
    void providerChangesAreServedOnceTheEventArrives() {
        RouterApi.key();
        RegistryAdmin.putProvider(provider("sync-model"));
        Duration created = RouterApi.awaitModel("sync-model");
        assertEquals(200, chat("sync-model"));

        RegistryAdmin.putProvider(provider("sync-model", "sync-model-2"));
        Duration updated = RouterApi.awaitModel("sync-model-2");

        RegistryAdmin.setEnabled("sync-provider", false);
        long start = System.nanoTime();
        RouterApi.awaitModelGone("sync-model");
        Duration disabled = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(404, chat("sync-model"));

        RegistryAdmin.setEnabled("sync-provider", true);
        Duration enabled = RouterApi.awaitModel("sync-model");

        LOG.infof("provider-changed applied after: created %d ms, updated %d ms, disabled %d ms, enabled %d ms",
                created.toMillis(), updated.toMillis(), disabled.toMillis(), enabled.toMillis());
        for (Duration seen : new Duration[] { created, updated, disabled, enabled }) {
            assertTrue(seen.compareTo(EVENT_BOUND) < 0, "applied after " + seen);
        }
    }

    @Test
    void revokedKeyIsRefusedOnceTheEventArrives() {
        String[] key = RegistryAdmin.createKey("short-lived");
        RouterApi.awaitStatus("/v1/models", key[1], 200);

        RegistryAdmin.revokeKey(key[0]);

        RouterApi.awaitStatus("/v1/models", key[1], 401);
    }

    @Test
    void keepsServingWhileTheRegistryIsDownAndFollowsItAgainAfter() {
        RegistryAdmin.putProvider(provider("sync-model"));
        RouterApi.awaitModel("sync-model");

        RegistryServiceResource.stopRegistry();
        try {
            assertEquals(200, chat("sync-model"));
            assertEquals(200, RouterApi.management().get("/q/health/ready").statusCode(), "still ready");
        } finally {
            RegistryServiceResource.restartRegistry();
        }
        RegistryAdmin.putProvider(provider("sync-model", "after-restart"));
        RouterApi.awaitModel("after-restart");
    }

    @Test
    void keepsServingWhileKafkaIsDownAndHearsChangesAfter() {
        if (!GatewayInfraResource.kafkaIsEmbedded()) {
            return; // an external broker cannot be stopped from here
        }
        RegistryAdmin.putProvider(provider("sync-model"));
        RouterApi.awaitModel("sync-model");

        GatewayInfraResource.stopKafka();
        try {
            assertEquals(200, chat("sync-model"));
            assertEquals(200, RouterApi.management().get("/q/health/ready").statusCode(), "still ready");
        } finally {
            GatewayInfraResource.startKafka();
        }
        RegistryAdmin.putProvider(provider("sync-model", "after-kafka"));
        // the broker's clients reconnect with backoff: allow them a while
        RouterApi.awaitStatus("/v1/models/after-kafka", RouterApi.key(), 200, Duration.ofSeconds(45));
    }
}
