package io.visca.gateway.router.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.Ports;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;

/**
 * What clients learn about upstreams, the same situations seen with upstream details exposed (the default) and
 * hidden ({@code ROUTER_EXPOSE_UPSTREAM_DETAILS=false}): a served request, an upstream error whose text names
 * internal hosts, a refused connection, an endpoint the health monitor reports DOWN with a reason that names its
 * URL. Endpoints are on 127.0.0.1 with ids derived from their base URLs ({@code 127.0.0.1:<port>}), except one the
 * operator named {@code eu-replica}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UpstreamDetailsScenarios {

    /** What the failing upstream says: internal names a client must not see when details are hidden. */
    static final String UPSTREAM_TEXT = "GPU node gpu-7.internal:8000 ran out of memory (http://10.1.2.3:8000/v1)";

    FakeOpenAiServer upstream;
    FakeOpenAiServer downUpstream;
    int closedPort;
    private KafkaProducer<String, String> health;

    /** Names this class's providers and models apart from the other's. */
    abstract String prefix();

    @BeforeAll
    void providers() {
        upstream = FakeOpenAiServer.start().models(model("served"), model("named")).reply("fine");
        downUpstream = FakeOpenAiServer.start().models(model("down")).reply("never");
        closedPort = Ports.free();
        RegistryAdmin.putProvider("""
                {"name": "%s", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "retry": {"max_retries": 0}, "models": [{"id": "%s"}]}"""
                .formatted(provider("served"), upstream.baseUrl(), model("served")));
        RegistryAdmin.putProvider("""
                {"name": "%s", "type": "openai-compatible", "auth": {"auth_type": "none"},
                 "endpoints": [{"id": "eu-replica", "base_url": "%s"}], "models": [{"id": "%s"}]}"""
                .formatted(provider("named"), upstream.baseUrl(), model("named")));
        RegistryAdmin.putProvider("""
                {"name": "%s", "type": "openai-compatible", "base_url": "http://127.0.0.1:%d/v1",
                 "auth": {"auth_type": "none"}, "retry": {"max_retries": 0}, "models": [{"id": "%s"}]}"""
                .formatted(provider("gone"), closedPort, model("gone")));
        RegistryAdmin.putProvider("""
                {"name": "%s", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "models": [{"id": "%s"}]}""".formatted(provider("down"), downUpstream.baseUrl(), model("down")));
        for (String model : List.of("served", "named", "gone", "down")) {
            RouterApi.awaitModel(model(model));
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, GatewayInfraResource.kafkaBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        health = new KafkaProducer<>(props);
    }

    @AfterEach
    void healthy() {
        upstream.healthy();
    }

    @AfterAll
    void stop() {
        health.close(Duration.ofSeconds(5));
        for (String name : List.of("served", "named", "gone", "down")) {
            RegistryAdmin.deleteProvider(provider(name));
        }
        upstream.close();
        downUpstream.close();
    }

    String provider(String name) {
        return prefix() + "-" + name + "-ai";
    }

    String model(String name) {
        return prefix() + "-" + name + "-model";
    }

    /** The id the registry derived for {@link #upstream}'s endpoint: host and port of its base URL. */
    String upstreamHostAndPort() {
        return "127.0.0.1:" + upstream.port();
    }

    Response chat(String model) {
        return RouterApi.request().body("{\"model\":\"" + model(model)
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").post("/v1/chat/completions");
    }

    static String message(Response response) {
        JsonNode error = Chats.json(response.asString()).path("error");
        return error.path("message").asText();
    }

    /** The served upstream fails every call with this status and an OpenAI error body quoting {@link #UPSTREAM_TEXT}. */
    void upstreamFails(int status) {
        upstream.failWith(status, "{\"error\":{\"message\":\"" + UPSTREAM_TEXT + "\",\"type\":\"server_error\"}}");
    }

    /**
     * The health monitor's DOWN verdict on the down provider's endpoint, with a reason that names its URL as the
     * monitor's do; then waits until the router answers 503 for that model, and returns that answer.
     */
    Response endpointReportedDown() throws Exception {
        String endpoint = "127.0.0.1:" + downUpstream.port();
        String now = Instant.now().toString();
        String reason = "GET http://" + endpoint + "/v1/models: connection refused (Connection refused: /" + endpoint
                + ")";
        String event = """
                {"schema_version":1,"event_id":"%s","occurred_at":"%s","provider":"%s","endpoint":"%s","status":"DOWN",
                 "previous_status":"UP","reason":"%s","latency_ms":null,"consecutive_failures":3,"checked_at":"%s"}"""
                .formatted(UUID.randomUUID(), now, provider("down"), endpoint, reason, now);
        health.send(new ProducerRecord<>("provider-health-changed", provider("down") + "/" + endpoint, event))
                .get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        // until the monitor's verdict is what filters it: a chat sent before the event arrives fails on the refused
        // connection, which may also end in a 503, without the monitor's reason
        Response response = chat("down");
        while (!(response.statusCode() == 503 && response.asString().contains("DOWN by the health monitor"))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
            response = chat("down");
        }
        return response;
    }
}
