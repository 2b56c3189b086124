package io.visca.gateway.router.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeAnthropicServer;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.infra.test.ServiceProcess;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.FinishedRequests;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;
import io.visca.gateway.router.testing.UsageTopic;

/**
 * Usage end to end over the real parts: requests through the router (two provider types, streaming and not, some
 * failing), their usage-recorded events on the real broker, the real billing service (its packaged jar) storing them
 * in the real PostgreSQL; billing's summary must equal what the router served, per provider, model and key, to the
 * last token and cent. Also with the broker stopped in the middle of the traffic, and with every event delivered twice.
 */
@QuarkusTest
class BillingEndToEndTests {

    private static final Logger LOG = Logger.getLogger(BillingEndToEndTests.class);
    private static final String ADMIN_TOKEN = "billing-e2e-admin-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FakeOpenAiServer openai;
    private static FakeAnthropicServer anthropic;
    private static ServiceProcess billing;
    private static String[] teamA;
    private static String[] teamB;

    @BeforeAll
    static void start() {
        openai = FakeOpenAiServer.start().models("e2e-gpt").reply("one two three four five");
        anthropic = FakeAnthropicServer.start().reply("six seven eight");
        RegistryAdmin.putProvider("""
                {"name": "e2e-openai", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "retry": {"max_retries": 0},
                 "models": [{"id": "e2e-gpt", "cost_per_1k_input": 0.15, "cost_per_1k_output": 0.6}]}"""
                .formatted(openai.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "e2e-anthropic", "type": "anthropic", "base_url": "%s", "auth": {"auth_type": "none"},
                 "retry": {"max_retries": 0},
                 "models": [{"id": "e2e-claude", "upstream_model": "claude-sonnet-4-5", "cost_per_1k_input": 0.003,
                             "cost_per_1k_output": 0.015}]}""".formatted(anthropic.baseUrl()));
        RouterApi.awaitModel("e2e-gpt");
        RouterApi.awaitModel("e2e-claude");
        teamA = RegistryAdmin.createKey("e2e-team-a");
        teamB = RegistryAdmin.createKey("e2e-team-b");
        RouterApi.awaitStatus("/v1/models", teamA[1], 200);
        RouterApi.awaitStatus("/v1/models", teamB[1], 200);
        Map<String, String> db = GatewayInfraResource.database("billing");
        billing = new ServiceProcess("billing", ServiceProcess.jar("billing.jar"),
                Map.of("DB_URL", db.get("url"), "DB_USER", db.get("user"), "DB_PASSWORD", db.get("password"),
                        "KAFKA_BOOTSTRAP_SERVERS", GatewayInfraResource.kafkaBootstrapServers(),
                        "GATEWAY_ADMIN_TOKEN", ADMIN_TOKEN))
                .start();
    }

    @AfterAll
    static void stop() {
        if (billing != null) {
            billing.stop();
        }
        RegistryAdmin.deleteProvider("e2e-openai");
        RegistryAdmin.deleteProvider("e2e-anthropic");
        openai.close();
        anthropic.close();
    }

    /** What the router served, per provider / model / key: requests, errors, tokens, cost. */
    private static final class Ledger {
        final Map<String, long[]> counts = new TreeMap<>();
        final Map<String, BigDecimal> cost = new TreeMap<>();
        final List<String> ids = new ArrayList<>();

        void add(String requestId) {
            ids.add(requestId);
            FinishedRequest served = FinishedRequests.get(requestId);
            String group = served.provider() + "|" + served.servedModel() + "|" + served.apiKeyId();
            long[] c = counts.computeIfAbsent(group, g -> new long[5]);
            c[0]++;
            c[1] += FinishedRequest.SUCCESS.equals(served.status()) ? 0 : 1;
            c[2] += served.promptTokens();
            c[3] += served.completionTokens();
            c[4] += served.cachedTokens();
            if (served.cost() != null) {
                cost.merge(group, served.cost().total(), BigDecimal::add);
            }
        }
    }

    private static String send(String[] key, String model, boolean stream) {
        Response response = RestAssured.given().baseUri(RouterApi.baseUrl()).header("Authorization", "Bearer " + key[1])
                .contentType("application/json").body("{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"stream_options\":{\"include_usage\":true},\"max_tokens\":40,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"What does this cost?\"}]}")
                .post("/v1/chat/completions");
        response.asString(); // the whole stream
        return response.header("x-request-id");
    }

    /** A mix: both providers, both keys, streaming and not, and some upstream failures. */
    private static void traffic(Ledger ledger, int rounds) {
        for (int i = 0; i < rounds; i++) {
            String[] key = i % 3 == 0 ? teamB : teamA;
            ledger.add(send(key, "e2e-gpt", i % 2 == 0));
            ledger.add(send(key, "e2e-claude", i % 2 == 1));
            if (i % 5 == 4) {
                openai.failWith(500, null);
                ledger.add(send(key, "e2e-gpt", false));
                openai.healthy();
            }
        }
    }

    /** Billing's summary for our two keys, in the shape of {@link Ledger}. */
    private static Ledger billed() throws Exception {
        String from = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        String to = LocalDate.now(ZoneOffset.UTC).plusDays(2).toString();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(billing.url()
                + "/api/usage/summary?group_by=provider,model,api_key&from=" + from + "&to=" + to))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        Ledger billed = new Ledger();
        for (JsonNode row : Chats.json(response.body()).path("rows")) {
            String key = row.path("api_key_id").asText();
            if (!key.equals(teamA[0]) && !key.equals(teamB[0])) {
                continue; // other tests' traffic
            }
            String group = row.path("provider").asText(null) + "|" + row.path("model").asText(null) + "|" + key;
            JsonNode t = row;
            billed.counts.put(group, new long[] { t.path("requests").asLong(), t.path("errors").asLong(),
                    t.path("prompt_tokens").asLong(), t.path("completion_tokens").asLong(),
                    t.path("cached_tokens").asLong() });
            BigDecimal cost = new BigDecimal(t.path("total_cost").asText("0"));
            if (cost.signum() != 0) {
                billed.cost.put(group, cost);
            }
        }
        return billed;
    }

    private static void assertBilledExactly(Ledger served) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String last = null;
        while (System.nanoTime() < deadline) {
            Ledger billed = billed();
            last = describe(billed);
            if (describe(served).equals(last)) {
                for (Map.Entry<String, BigDecimal> cost : served.cost.entrySet()) {
                    assertEquals(0, cost.getValue().compareTo(billed.cost.get(cost.getKey())), cost.getKey());
                }
                return;
            }
            Thread.sleep(250);
        }
        assertEquals(describe(served), last, "billing never matched what the router served");
    }

    private static String describe(Ledger ledger) {
        StringBuilder out = new StringBuilder();
        ledger.counts.forEach((group, c) -> out.append(group).append(" requests=").append(c[0]).append(" errors=")
                .append(c[1]).append(" prompt=").append(c[2]).append(" completion=").append(c[3]).append(" cached=")
                .append(c[4]).append(" cost=").append(ledger.cost.getOrDefault(group, BigDecimal.ZERO)
                        .stripTrailingZeros().toPlainString())
                .append('\n'));
        return out.toString();
    }

    @Test
    void billingEqualsWhatTheRouterServedThroughABrokerOutageAndDuplicateDeliveries() throws Exception {
        Ledger served = new Ledger();
        traffic(served, 10);
        assertBilledExactly(served);
        LOG.infof("billed exactly:%n%s", describe(served));

        if (GatewayInfraResource.kafkaIsEmbedded()) {
            traffic(served, 4);
            GatewayInfraResource.stopKafka();
            try {
                traffic(served, 6); // served while the broker is down: the events wait in the router's spool
            } finally {
                GatewayInfraResource.startKafka();
            }
            traffic(served, 4);
            assertBilledExactly(served);
        }

        int redelivered = redeliver(served.ids);
        assertTrue(redelivered >= served.ids.size(), "every event delivered a second time: " + redelivered);
        traffic(served, 2); // new events after the duplicates: once they are billed, the duplicates were read too
        assertBilledExactly(served);
    }

    /** Reads every usage-recorded event of these requests from the topic and publishes it again, as is. */
    private static int redeliver(List<String> requestIds) throws Exception {
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, GatewayInfraResource.kafkaBootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-redeliver-" + System.nanoTime());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> ours = new ArrayList<>();
        java.util.Set<String> wanted = new java.util.HashSet<>(requestIds);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("usage-recorded"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (seen.size() < wanted.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (wanted.contains(UsageTopic.requestId(record))) {
                        ours.add(record);
                        seen.add(UsageTopic.requestId(record));
                    }
                }
            }
        }
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, GatewayInfraResource.kafkaBootstrapServers());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new StringSerializer())) {
            for (ConsumerRecord<String, String> record : ours) {
                producer.send(new ProducerRecord<>("usage-recorded", record.key(), record.value()));
            }
            producer.flush();
        }
        return ours.size();
    }
}
