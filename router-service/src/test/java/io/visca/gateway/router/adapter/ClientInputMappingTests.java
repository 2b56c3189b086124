package io.visca.gateway.router.adapter;

import static io.visca.gateway.router.adapter.AdapterCallKit.headers;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.contracts.provider.CustomRequestConfig;
import io.visca.gateway.contracts.provider.TransformConfig;
import io.visca.gateway.router.adapter.AdapterCallKit.Setup;
import io.visca.gateway.router.adapter.anthropic.AnthropicAdapter;
import io.visca.gateway.router.adapter.custom.CustomAdapter;
import io.visca.gateway.router.adapter.ollama.OllamaAdapter;
import io.visca.gateway.router.adapter.replicate.ReplicateAdapter;
import io.visca.gateway.router.adapter.tgi.TgiAdapter;
import io.visca.gateway.router.auth.ProviderSecrets;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.proxy.RequestBodies;
import io.visca.gateway.router.proxy.RequestValidator;
import io.visca.gateway.router.testing.ClientInputOracle;
import io.visca.gateway.router.testing.HostileBodies;
import io.visca.gateway.router.testing.HostileBodies.Body;
import io.visca.gateway.router.testing.HostileBodies.Op;

/**
 * The request side of every translating adapter (anthropic, ollama, tgi, replicate, custom) on generated bodies
 * ({@link HostileBodies}), without Quarkus or a network: a body the router's checks let through
 * ({@link RequestBodies#parseObject}, {@link RequestValidator}) maps to an upstream body that serializes, or fails with
 * a 4xx {@link GatewayError}; nothing else is ever thrown, and no message names an exception. Replay as the router's
 * property: {@code -Dclient-input.seed=<seed>}, {@code -Dclient-input.tries=<n>}.
 */
class ClientInputMappingTests {

    private static final long SEED = Long.getLong("client-input.seed", new SecureRandom().nextLong());
    private static final int TRIES = Integer.getInteger("client-input.tries", 5000);
    private static final HostileBodies.Targets TARGETS = new HostileBodies.Targets(
            Map.of(Op.CHAT, List.of("client-model"), Op.COMPLETIONS, List.of("client-model"), Op.EMBEDDINGS,
                    List.of("client-model")),
            Map.of("client-model", List.of("test-anthropic")));
    /** Reads what the adapters write (deeper than one parse of the router reads). */
    private static final ObjectMapper DEEP_READER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(5000).build()).build());
    private static final Setup SETUP = Setup.of("http://127.0.0.1:9/", "upstream-model");
    private static final Setup CUSTOM = new Setup("http://127.0.0.1:9/", "legacy-13b", null,
            new CustomRequestConfig("POST", "/generate", null), new TransformConfig("jq",
                    "{prompt: .messages[-1].content, max_tokens: (.max_tokens // 100), "
                            + "temperature: (.temperature // 0.7)}",
                    "{content: .output.text}"));

    private final AnthropicAdapter anthropic = new AnthropicAdapter(4096, "2023-06-01");
    private final OllamaAdapter ollama = new OllamaAdapter();
    private final TgiAdapter tgi = new TgiAdapter();
    private final ReplicateAdapter replicate = new ReplicateAdapter();
    private final CustomAdapter custom = new CustomAdapter(new ProviderSecrets(new SecretResolver(System::getenv)));

    @Test
    void everyAdapterMapsOrRejectsEveryBodyTheRouterTakes() {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < TRIES && failures.size() < 3; i++) {
            Random random = new Random(SEED + 0x9E3779B97F4A7C15L * i);
            Op op = Op.values()[random.nextInt(3)];
            Body body = HostileBodies.mutated(op, random, TARGETS);
            String why = map(op, body.bytes());
            if (why != null) {
                failures.add("try " + i + ": " + why + "\n  body: " + body);
            }
        }
        if (!failures.isEmpty()) {
            fail("request mapping failed (seed " + SEED + "; replay with -Dclient-input.seed=" + SEED + "):\n"
                    + String.join("\n", failures));
        }
    }

    /** @return why the mapping misbehaved, or null */
    private String map(Op op, byte[] bytes) {
        Operation operation = Operation.valueOf(op.name());
        ObjectNode request;
        try {
            request = RequestBodies.parseObject(Buffer.buffer(bytes));
            RequestValidator.validate(operation, request);
        } catch (GatewayError e) {
            return judge("the router's checks", e);
        } catch (RuntimeException e) {
            return "the router's checks threw " + e;
        }
        String text = Json.write(request).toString(StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        for (ProviderAdapter adapter : List.of(anthropic, ollama, tgi, replicate, custom)) {
            if (!adapter.supports(operation)) {
                continue;
            }
            try {
                UpstreamCall call = AdapterCallKit.call(adapter, adapter == custom ? CUSTOM : SETUP, operation, text,
                        headers(), null);
                TokenEstimates.ofRequest(call.request());
                Buffer upstream = switch (adapter.type()) {
                    case "anthropic" -> anthropic.request(call).body();
                    case "ollama" -> ollama.request(call).body();
                    case "tgi" -> Json.write(TgiAdapter.body(call));
                    case "replicate" -> Json.write(ReplicateAdapter.body(call));
                    default -> customBody(call);
                };
                DEEP_READER.readTree(upstream.getBytes());
            } catch (GatewayError e) {
                String why = judge(adapter.type(), e);
                if (why != null) {
                    problems.add(why);
                }
            } catch (RuntimeException | java.io.IOException e) {
                problems.add(adapter.type() + " threw " + e);
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private Buffer customBody(UpstreamCall call) {
        Future<ObjectNode> body = custom.requestBody(call, (CustomAdapter.Prepared) call.provider().prepared());
        if (body.failed()) {
            throw body.cause() instanceof GatewayError e ? e : new IllegalStateException(body.cause());
        }
        return Json.write(body.result());
    }

    private static String judge(String where, GatewayError e) {
        if (e.status() < 400 || e.status() >= 500) {
            return where + " answered " + e.status() + " " + e.code() + ": " + e.getMessage();
        }
        String leak = ClientInputOracle.leak(e.getMessage());
        return leak == null ? null : where + " " + leak + ": " + e.getMessage();
    }
}
