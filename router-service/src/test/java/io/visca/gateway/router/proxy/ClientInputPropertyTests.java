package io.visca.gateway.router.proxy;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.fakes.FakeAnthropicServer;
import io.visca.gateway.fakes.FakeCustomServer;
import io.visca.gateway.fakes.FakeOllamaServer;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.fakes.FakeReplicateServer;
import io.visca.gateway.fakes.FakeServer;
import io.visca.gateway.fakes.FakeTgiServer;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.testing.Chats;
import io.visca.gateway.router.testing.ClientInputOracle;
import io.visca.gateway.router.testing.HostileBodies;
import io.visca.gateway.router.testing.HostileBodies.Body;
import io.visca.gateway.router.testing.HostileBodies.Op;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;

/**
 * A property of /v1: whatever body a client sends, the router answers it without a 5xx and without an exception's
 * class name: a 400 in OpenAI's error shape when the body breaks a rule (see {@link ClientInputOracle}), else a
 * well-formed answer. The bodies are generated ({@link HostileBodies}: valid bodies with fields made hostile at
 * every depth, random JSON, no JSON) from one seed and sent, some as streams, to one router in front of healthy fakes
 * of every provider type. A failing body is shrunk (mutations and optional fields left out while it still fails) and
 * reported with its seed; {@code -Dclient-input.seed=<seed>} replays a run, {@code -Dclient-input.try=<n>} one try
 * of it, {@code -Dclient-input.tries=<n>} changes how many (see the README's Testing section).
 */
@QuarkusTest
class ClientInputPropertyTests {

    private static final Logger LOG = Logger.getLogger(ClientInputPropertyTests.class);
    private static final long SEED = Long.getLong("client-input.seed", new SecureRandom().nextLong());
    private static final Integer ONLY_TRY = Integer.getInteger("client-input.try");
    private static final Integer TRIES = Integer.getInteger("client-input.tries");
    private static final int MAX_REPORTED = 12;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<FakeServer<?>> FAKES = new ArrayList<>();
    private static final List<String> PROVIDERS = List.of("t-input-openai", "t-input-anthropic", "t-input-ollama",
            "t-input-tgi", "t-input-replicate", "t-input-custom");
    private static HostileBodies.Targets targets;
    private static ClientInputOracle oracle;

    @BeforeAll
    static void providers() throws Exception {
        FakeOpenAiServer openai = fake(FakeOpenAiServer.start().models("gpt-4o-mini", "input-gpt-raw"));
        FakeAnthropicServer anthropic = fake(FakeAnthropicServer.start());
        FakeOllamaServer ollama = fake(FakeOllamaServer.start().models("llama3:8b", "nomic-embed-text"));
        FakeTgiServer tgi = fake(FakeTgiServer.start());
        FakeReplicateServer replicate = fake(FakeReplicateServer.start());
        FakeCustomServer custom = fake(FakeCustomServer.start());
        RegistryAdmin.putProvider("""
                {"name": "t-input-openai", "type": "openai-compatible", "base_url": "%s", "auth": {"auth_type": "none"},
                 "models": [{"id": "input-gpt", "upstream_model": "gpt-4o-mini", "context_window": 100000,
                             "cost_per_1k_input": 0.00015, "cost_per_1k_output": 0.0006},
                            {"id": "input-gpt-raw"},
                            {"id": "input-shared", "upstream_model": "gpt-4o-mini"}]}""".formatted(openai.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "t-input-anthropic", "type": "anthropic", "base_url": "%s", "auth": {"auth_type": "none"},
                 "models": [{"id": "input-claude", "upstream_model": "claude-sonnet-4-5", "context_window": 200000},
                            {"id": "input-shared", "upstream_model": "claude-haiku-4-5"}]}"""
                .formatted(anthropic.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "t-input-ollama", "type": "ollama", "base_url": "%s", "auth": {"auth_type": "none"},
                 "models": [{"id": "input-llama", "upstream_model": "llama3:8b", "context_window": 8192},
                            {"id": "input-llama-embed", "upstream_model": "nomic-embed-text", "mode": "embedding"}]}"""
                .formatted(ollama.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "t-input-tgi", "type": "tgi", "base_url": "%s", "auth": {"auth_type": "none"},
                 "models": [{"id": "input-tgi"}]}""".formatted(tgi.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "t-input-replicate", "type": "replicate", "base_url": "%s", "auth": {"auth_type": "none"},
                 "models": [{"id": "input-replicate", "upstream_model": "meta/meta-llama-3-8b-instruct"}]}"""
                .formatted(replicate.baseUrl()));
        ObjectNode example = (ObjectNode) Chats.json(Files.readString(
                Path.of("..", "examples", "providers", "custom-transform.json")));
        example.put("name", "t-input-custom").put("base_url", custom.baseUrl()).putObject("auth").put("auth_type",
                "none");
        example.putArray("models").addObject().put("id", "input-custom").put("context_window", 4096);
        RegistryAdmin.putProvider(example.toString());
        for (String model : List.of("input-gpt", "input-gpt-raw", "input-shared", "input-claude", "input-llama",
                "input-llama-embed", "input-tgi", "input-replicate", "input-custom")) {
            RouterApi.awaitModel(model);
        }
        Map<Op, List<String>> models = Map.of(
                Op.CHAT, List.of("input-gpt", "input-gpt-raw", "input-shared", "input-claude", "input-llama",
                        "input-tgi", "input-replicate", "input-custom"),
                Op.COMPLETIONS, List.of("input-gpt", "input-gpt-raw", "input-llama", "input-tgi", "input-claude"),
                Op.EMBEDDINGS, List.of("input-gpt", "input-gpt-raw", "input-llama-embed", "input-claude"));
        Map<String, List<String>> providers = new LinkedHashMap<>();
        providers.put("input-gpt", List.of("t-input-openai"));
        providers.put("input-gpt-raw", List.of("t-input-openai"));
        providers.put("input-shared", List.of("t-input-openai", "t-input-anthropic"));
        providers.put("input-claude", List.of("t-input-anthropic"));
        providers.put("input-llama", List.of("t-input-ollama"));
        providers.put("input-llama-embed", List.of("t-input-ollama"));
        providers.put("input-tgi", List.of("t-input-tgi"));
        providers.put("input-replicate", List.of("t-input-replicate"));
        providers.put("input-custom", List.of("t-input-custom"));
        targets = new HostileBodies.Targets(models, providers);
        LOG.infof("client input property: seed %d (replay with -Dclient-input.seed=%d)", SEED, SEED);
        oracle = new ClientInputOracle(Set.copyOf(PROVIDERS));
    }

    private static <F extends FakeServer<?>> F fake(F fake) {
        fake.recording(false);
        FAKES.add(fake);
        return fake;
    }

    @AfterAll
    static void stop() {
        PROVIDERS.forEach(RegistryAdmin::deleteProvider);
        FAKES.forEach(FakeServer::close);
    }

    @Test
    void chatBodiesNeverGetA5xx() {
        check("chat", 1000, random -> HostileBodies.mutated(Op.CHAT, random, targets));
    }

    @Test
    void completionBodiesNeverGetA5xx() {
        check("completions", 600, random -> HostileBodies.mutated(Op.COMPLETIONS, random, targets));
    }

    @Test
    void embeddingBodiesNeverGetA5xx() {
        check("embeddings", 600, random -> HostileBodies.mutated(Op.EMBEDDINGS, random, targets));
    }

    @Test
    void randomJsonAndNonJsonBodiesGetA400InOpenAiShape() {
        check("garbage", 600,
                random -> HostileBodies.garbage(Op.values()[random.nextInt(Op.values().length)], random, targets));
    }

    /** One failure: the try, why, and the smallest body found that still fails. */
    private record Failure(int index, String why, Body body) {
    }

    private void check(String name, int defaultTries, java.util.function.Function<Random, Body> generator) {
        long seed = SEED ^ name.hashCode();
        int tries = TRIES != null ? TRIES : defaultTries;
        List<Failure> failures = new ArrayList<>();
        Set<String> kinds = new HashSet<>();
        for (int i = ONLY_TRY != null ? ONLY_TRY : 0; i < (ONLY_TRY != null ? ONLY_TRY + 1 : tries); i++) {
            Body body = generator.apply(new Random(seed + 0x9E3779B97F4A7C15L * i));
            String why = judge(body);
            if (why != null && kinds.add(kind(why))) {
                Body smallest = shrink(body);
                failures.add(new Failure(i, judge(smallest) == null ? why : judge(smallest), smallest));
                if (failures.size() == MAX_REPORTED) {
                    break;
                }
            }
        }
        if (!failures.isEmpty()) {
            StringBuilder report = new StringBuilder("client input property '" + name + "' failed (seed " + SEED
                    + "; replay with -Dclient-input.seed=" + SEED + " -Dtest=ClientInputPropertyTests#"
                    + testName(name) + ", one try with -Dclient-input.try=<n>):");
            for (Failure f : failures) {
                report.append("\n- try ").append(f.index()).append(": ").append(f.why()).append("\n  body: ")
                        .append(f.body());
            }
            fail(report.toString());
        }
    }

    /** Leaves out mutations, then optional base fields, as long as the body still fails. */
    private Body shrink(Body body) {
        boolean smaller = true;
        while (smaller) {
            smaller = false;
            for (int k = 0; k < body.mutations().size() && body.raw() == null; k++) {
                Body candidate = body.without(k);
                if (judge(candidate) != null) {
                    body = candidate;
                    smaller = true;
                    break;
                }
            }
            List<String> fields = new ArrayList<>();
            body.base().fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                if (!smaller && body.raw() == null && !Set.of("model", "messages", "prompt", "input").contains(field)) {
                    Body candidate = body.withoutBaseField(field);
                    if (judge(candidate) != null) {
                        body = candidate;
                        smaller = true;
                    }
                }
            }
        }
        return body;
    }

    private String judge(Body body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RouterApi.baseUrl() + body.op().path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + RouterApi.key())
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
        try {
            return oracle.judge(body, HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray()));
        } catch (java.io.IOException e) {
            return "no answer: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Failures of one kind are reported once: the status and the first words of why. */
    private static String kind(String why) {
        String general = why.replaceAll("req_[0-9a-f]+|[0-9]", "");
        return general.substring(0, Math.min(general.length(), 90));
    }

    private static String testName(String name) {
        return switch (name) {
            case "chat" -> "chatBodiesNeverGetA5xx";
            case "completions" -> "completionBodiesNeverGetA5xx";
            case "embeddings" -> "embeddingBodiesNeverGetA5xx";
            default -> "randomJsonAndNonJsonBodiesGetA400InOpenAiShape";
        };
    }
}
