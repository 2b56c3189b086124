package io.visca.gateway.router.adapter.custom;

import static io.visca.gateway.router.adapter.AdapterCallKit.headers;
import static io.visca.gateway.router.adapter.AdapterCallKit.parse;
import static io.visca.gateway.router.adapter.AdapterCallKit.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.contracts.provider.CustomRequestConfig;
import io.visca.gateway.contracts.provider.TransformConfig;
import io.visca.gateway.router.adapter.AdapterCallKit;
import io.visca.gateway.router.adapter.AdapterCallKit.FakeHttp;
import io.visca.gateway.router.adapter.AdapterCallKit.Setup;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.auth.ProviderSecrets;

/**
 * The product page's request transform, written there in Python:
 *
 * <pre>
 * def transform_request(openai_request):
 *     return {
 *         "prompt": openai_request["messages"][-1]["content"],
 *         "max_tokens": openai_request.get("max_tokens", 100),
 *         "temperature": openai_request.get("temperature", 0.7)
 *     }
 * </pre>
 *
 * is {@code examples/providers/custom-transform.json}'s jq program, read from that file:
 * {@code {prompt: .messages[-1].content, max_tokens: (.max_tokens // 100), temperature: (.temperature // 0.7)}}. For
 * generated OpenAI requests the body the router sends upstream is what the Python function returns. One difference,
 * on purpose and documented: an explicit {@code "max_tokens": null} (which the OpenAI SDKs never send) gets the
 * default, where Python's {@code get} would pass the null on.
 */
class ProductPageTransformTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CustomAdapter adapter = new CustomAdapter(new ProviderSecrets(new SecretResolver(name -> null)));
    private final FakeHttp http = new FakeHttp();

    /** The page's Python function, line for line. */
    private static JsonNode pagePython(ObjectNode request) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode messages = (ArrayNode) request.get("messages");
        out.set("prompt", messages.get(messages.size() - 1).get("content"));
        out.set("max_tokens", request.has("max_tokens") ? request.get("max_tokens")
                : JSON.getNodeFactory()
                        .numberNode(100));
        out.set("temperature", request.has("temperature") ? request.get("temperature")
                : JSON.getNodeFactory()
                        .numberNode(0.7));
        return out;
    }

    @Test
    void theExampleSendsWhatThePagesPythonTransformReturns() throws Exception {
        JsonNode example = JSON.readTree(Files.readString(Path.of("..", "examples", "providers",
                "custom-transform.json")));
        TransformConfig transform = new TransformConfig("jq", example.path("transform").path("request").asText(),
                example.path("transform").path("response").asText());
        CustomRequestConfig request = new CustomRequestConfig(example.path("request").path("method").asText(),
                example.path("request").path("path").asText(), null);
        Random random = new Random(15);
        for (int i = 0; i < 200; i++) {
            ObjectNode chat = generated(random);
            http.answer(200, "{\"output\": {\"text\": \"ok\"}, \"meta\": {\"input_tokens\": 1, \"output_tokens\": 1}}");
            result(adapter.send(AdapterCallKit.call(adapter, new Setup("https://models.example.com", "legacy-13b",
                    null, request, transform), Operation.CHAT, chat.toString(), headers(), http)));
            assertEquals(pagePython(chat), parse(http.request(i).body()), () -> "for " + chat);
        }
    }

    /** OpenAI chat requests as SDKs send them: 1 to 4 messages, text or parts, optional max_tokens and temperature. */
    private static ObjectNode generated(Random random) {
        ObjectNode chat = JSON.createObjectNode().put("model", "legacy-13b");
        ArrayNode messages = chat.putArray("messages");
        int count = 1 + random.nextInt(4);
        String[] roles = { "system", "user", "assistant", "user" };
        for (int m = 0; m < count; m++) {
            ObjectNode message = messages.addObject().put("role", roles[m]);
            if (random.nextInt(4) == 0) {
                message.putArray("content").addObject().put("type", "text").put("text", "part " + random.nextInt());
            } else {
                message.put("content", "message " + m + " \"quoted\" ü " + random.nextInt(1000));
            }
        }
        if (random.nextBoolean()) {
            chat.put("max_tokens", random.nextInt(3) == 0 ? 1 : random.nextInt(4096) + 1);
        }
        switch (random.nextInt(4)) {
            case 0 -> chat.put("temperature", 0); // falsy in Python, still passed on by get(), and by jq's //
            case 1 -> chat.put("temperature", random.nextInt(200) / 100.0);
            default -> {
            }
        }
        if (random.nextBoolean()) {
            chat.put("stream", false).put("top_p", 0.9); // other fields do not reach the upstream
        }
        return chat;
    }
}
