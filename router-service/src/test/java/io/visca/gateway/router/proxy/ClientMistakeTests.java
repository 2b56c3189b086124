package io.visca.gateway.router.proxy;

import static io.visca.gateway.router.testing.Chats.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visca.gateway.fakes.FakeAnthropicServer;
import io.visca.gateway.fakes.FakeOpenAiServer;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;

/**
 * Client mistakes the client-input property ({@link ClientInputPropertyTests}) found answered with a 5xx, an exception
 * name, a parser's internals or a silent drop: each is a 400 in OpenAI's error shape naming the parameter, before
 * anything goes upstream.
 */
@QuarkusTest
class ClientMistakeTests {

    private static FakeOpenAiServer openai;
    private static FakeAnthropicServer anthropic;

    @BeforeAll
    static void providers() {
        openai = FakeOpenAiServer.start();
        anthropic = FakeAnthropicServer.start();
        RegistryAdmin.putProvider("""
                {"name": "t-mistake-openai", "type": "openai-compatible", "base_url": "%s",
                 "auth": {"auth_type": "none"}, "models": [{"id": "mistake-gpt", "upstream_model": "gpt-4o-mini"}]}"""
                .formatted(openai.baseUrl()));
        RegistryAdmin.putProvider("""
                {"name": "t-mistake-anthropic", "type": "anthropic", "base_url": "%s", "auth": {"auth_type": "none"},
                 "models": [{"id": "mistake-claude", "upstream_model": "claude-sonnet-4-5"}]}"""
                .formatted(anthropic.baseUrl()));
        RouterApi.awaitModel("mistake-gpt");
        RouterApi.awaitModel("mistake-claude");
    }

    @AfterEach
    void reset() {
        openai.clearRequests();
        anthropic.clearRequests();
    }

    @AfterAll
    static void stop() {
        RegistryAdmin.deleteProvider("t-mistake-openai");
        RegistryAdmin.deleteProvider("t-mistake-anthropic");
        openai.close();
        anthropic.close();
    }

    private static Response post(String path, String body) {
        return RouterApi.request().body(body.getBytes(StandardCharsets.UTF_8)).post(path);
    }

    /** A 400 in OpenAI's shape with this param and code, and nothing sent upstream. */
    private static JsonNode assertRejected(Response response, String param, String code) {
        assertEquals(400, response.statusCode(), response.asString());
        JsonNode error = json(response.asString()).path("error");
        assertEquals("invalid_request_error", error.path("type").asText());
        assertEquals(param, error.path("param").isNull() ? null : error.path("param").asText(), response.asString());
        assertEquals(code, error.path("code").asText(), response.asString());
        assertFalse(error.path("message").asText().contains("Exception"), response.asString());
        assertTrue(openai.requests().isEmpty() && anthropic.requests().isEmpty(), "nothing went upstream");
        return error;
    }

    @ParameterizedTest
    @ValueSource(strings = { "mistake-gpt", "mistake-claude" })
    void streamOptionsOfWrongTypeIsA400(String model) {
        // was: 502 "Provider 't-...' failed: UnsupportedOperationException" for the openai-compatible provider
        for (String streamOptions : List.of("\"x\"", "[]", "1", "true")) {
            Response response = post("/v1/chat/completions", """
                    {"model": "%s", "stream": true, "stream_options": %s,
                     "messages": [{"role": "user", "content": "Hi"}]}""".formatted(model, streamOptions));

            JsonNode error = assertRejected(response, "stream_options", "invalid_type");
            assertEquals("'stream_options' must be an object.", error.path("message").asText());
        }
        assertRejected(post("/v1/chat/completions", """
                {"model": "%s", "stream": true, "stream_options": {"include_usage": "yes"},
                 "messages": [{"role": "user", "content": "Hi"}]}""".formatted(model)),
                "stream_options.include_usage", "invalid_type");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/v1/chat/completions | \"temperature\": \"hot\" | temperature",
            "/v1/chat/completions | \"max_tokens\": \"16\" | max_tokens",
            "/v1/chat/completions | \"max_tokens\": 1e400 | max_tokens",
            "/v1/chat/completions | \"n\": 1.5 | n",
            "/v1/chat/completions | \"stop\": [\"a\", 1] | stop[1]",
            "/v1/chat/completions | \"logit_bias\": {\"50256\": \"ban\"} | logit_bias.50256",
            "/v1/chat/completions | \"user\": 42 | user",
            "/v1/chat/completions | \"tools\": -1 | tools",
            "/v1/chat/completions | \"tools\": [\"get_weather\"] | tools[0]",
            "/v1/chat/completions | \"tools\": [{\"type\": \"function\", \"function\": \"f\"}] | tools[0].function",
            "/v1/chat/completions | \"tool_choice\": 1 | tool_choice",
            "/v1/chat/completions | \"response_format\": {\"json_schema\": {}} | response_format.type",
            "/v1/chat/completions | \"parallel_tool_calls\": \"no\" | parallel_tool_calls",
            "/v1/completions | \"prompt\": {\"text\": \"Say hi\"} | prompt",
            "/v1/completions | \"prompt\": [\"Say hi\", {}] | prompt[1]",
            "/v1/completions | \"echo\": 1 | echo",
            "/v1/embeddings | \"input\": [[1, \"a\"]] | input[0]",
            "/v1/embeddings | \"dimensions\": \"8\" | dimensions" })
    void parametersOfTheWrongTypeAreA400NamingThem(String path, String field, String param) {
        // was: passed through to openai-compatible upstreams, silently dropped for translated ones (anthropic)
        String required = switch (path) {
            case "/v1/completions" -> field.startsWith("\"prompt\"") ? "" : "\"prompt\": \"Say hi\",";
            case "/v1/embeddings" -> field.startsWith("\"input\"") ? "" : "\"input\": \"fox\",";
            default -> "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}],";
        };
        for (String model : List.of("mistake-gpt", "mistake-claude")) {
            Response response = post(path, "{\"model\": \"" + model + "\", " + required + field + "}");

            JsonNode error = assertRejected(response, param, "invalid_type");
            assertTrue(error.path("message").asText().startsWith("'" + param + "' must be "), response.asString());
        }
    }

    @Test
    void wrongTypesInsideMessagesAreA400NamingTheMessage() {
        assertRejected(post("/v1/chat/completions", """
                {"model": "mistake-claude", "messages": [{"role": "user", "content": "Hi"},
                 {"role": "assistant", "content": 42}]}"""), "messages[1].content", "invalid_type");
        assertRejected(post("/v1/chat/completions", """
                {"model": "mistake-claude", "messages": [{"role": "user", "content": [{"text": "no type"}]}]}"""),
                "messages[0].content[0].type", "invalid_type");
        assertRejected(post("/v1/chat/completions", """
                {"model": "mistake-gpt", "messages": [{"role": "assistant", "tool_calls": {"id": "call_1"}}]}"""),
                "messages[0].tool_calls", "invalid_type");
    }

    @Test
    void dataAfterTheJsonObjectIsA400() {
        // was: the first object served, and the whole body, garbage included, forwarded byte for byte
        String body = "{\"model\": \"mistake-gpt\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";

        JsonNode error = assertRejected(post("/v1/chat/completions", body + " {\"model\": \"other\"}"), null,
                "invalid_json");

        assertTrue(error.path("message").asText().contains("unexpected data after the JSON value"),
                error.toString());
        assertEquals(200, post("/v1/chat/completions", body + " \n").statusCode(), "white space after is fine");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"model\": \"mistake-gpt\", \"messages\": [", "{\"model\": NaN}",
            "/* a comment */ {\"model\": \"mistake-gpt\"}", "\u001E{\"model\": \"mistake-gpt\"}", "DEEP",
            "LONG_NUMBER" })
    void parseErrorsNameNoParserInternals(String body) {
        // was: "... (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled) ...",
        // "enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow", "from `StreamReadConstraints...`",
        // "(consider enabling 'JsonReadFeature.ALLOW_RS_CONTROL_CHAR' ...)" (a record separator before the object)
        String sent = switch (body) {
            case "DEEP" -> "{\"model\": " + "[".repeat(1001) + "]".repeat(1001) + "}";
            case "LONG_NUMBER" -> "{\"max_tokens\": " + "9".repeat(1001) + "}";
            default -> body;
        };

        String message = assertRejected(post("/v1/chat/completions", sent), null, "invalid_json").path("message")
                .asText();

        assertTrue(message.startsWith("We could not parse the JSON body of your request"), message);
        for (String internal : List.of("Feature", "Constraints", "[Source", "`", "REDACTED")) {
            assertFalse(message.contains(internal), message);
        }
        if (body.equals("DEEP")) {
            assertTrue(message.endsWith("Document nesting depth (1001) exceeds the maximum allowed (1000)"), message);
        }
    }

    @Test
    void routingProvidersThatDoNotServeTheModelAreA400() {
        // was: 503 no_available_provider, as if the gateway were at fault
        JsonNode error = assertRejected(post("/v1/chat/completions", """
                {"model": "mistake-gpt", "routing": {"providers": ["t-mistake-anthropic"]},
                 "messages": [{"role": "user", "content": "Hi"}]}"""), "routing.providers", "invalid_routing");

        assertTrue(error.path("message").asText().contains("[t-mistake-openai]"), error.toString());
    }
}
