package io.visca.gateway.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.CustomRequestConfig;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.TransformConfig;

/** What each of the six built-in types knows, as a table: probe, headers, Test Connection requests, listing. */
class BuiltInTypesTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelConfig MODEL = new ModelConfig("m", null, "meta/llama-3:abc123", "chat", null, null,
            null, null);

    private static ProviderConfig provider(String type) {
        return new ProviderConfig("p", type, true, List.of(), AuthConfig.none(), List.of(MODEL), null, null, null,
                null, new CustomRequestConfig("POST", "/run", Map.of("x-key", "${K}")),
                new TransformConfig("jq", "{prompt: .messages[0].content}", "{choices: [.out]}"));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "openai-compatible | models    | -          | GET /models    | POST /chat/completions",
            "anthropic         | v1/models | 2023-06-01 | GET /v1/models | POST /v1/messages",
            "ollama            | ./        | -          | GET /api/tags  | POST /api/chat",
            "tgi               | health    | -          | GET /info      | POST /generate",
            "replicate         | account   | -          | GET /models/meta/llama-3 | -",
            "custom            | -         | -          | -              | POST /run" })
    void eachTypeHasItsProbeAndTestConnectionRequests(String name, String healthPath, String anthropicVersion,
            String first, String chat) {
        ProviderType type = KnownProviderTypes.get(name);
        assertEquals(name, type.name());
        assertEquals(healthPath, type.defaultHealthPath());
        assertEquals(anthropicVersion == null ? Map.of() : Map.of("anthropic-version", anthropicVersion),
                type.fixedHeaders());
        ConnectionCheck check = type.connectionCheck();
        UpstreamCall firstCall = check.first(provider(name));
        assertEquals(first, firstCall == null ? null : firstCall.describe());
        UpstreamCall chatCall = check.chat(provider(name), MODEL, new JqLike());
        assertEquals(chat, chatCall == null ? null : chatCall.describe());
        if (chatCall == null) {
            assertTrue(check.chatNote().contains("billed"), check.chatNote());
        }
        if (firstCall != null) {
            assertEquals(type.fixedHeaders(), firstCall.headers());
        }
    }

    @Test
    void eachChatAsksForOneTokenInTheTypesWireFormat() {
        Transforms none = Transforms.NONE;
        assertEquals(json("{'model':'meta/llama-3:abc123','messages':[{'role':'user','content':'ping'}],"
                + "'max_tokens':1,'stream':false}"), chatBody("openai-compatible", none));
        assertEquals(json("{'model':'meta/llama-3:abc123','messages':[{'role':'user','content':'ping'}],"
                + "'max_tokens':1}"), chatBody("anthropic", none));
        assertEquals(json("{'model':'meta/llama-3:abc123','messages':[{'role':'user','content':'ping'}],"
                + "'stream':false,'options':{'num_predict':1}}"), chatBody("ollama", none));
        assertEquals(json("{'inputs':'ping','parameters':{'max_new_tokens':1}}"), chatBody("tgi", none));
        assertEquals(json("{'prompt':'ping'}"), chatBody("custom", new JqLike()));
        assertEquals(Map.of("x-key", "${K}"), KnownProviderTypes.get("custom").connectionCheck()
                .chat(provider("custom"), MODEL, new JqLike()).headers(), "custom's headers as configured");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "openai-compatible | {'data':[{'id':'a'},{'id':'b'},{'x':1}]} | a,b | {'error':{}} | no data array",
            "anthropic | {'data':[{'id':'claude'}]} | claude | {'data':{}} | no data array",
            "ollama | {'models':[{'name':'llama3:8b'}]} | llama3:8b | {'data':[]} | no models array",
            "tgi | {'model_id':'mistral'} | mistral | {'model_id':3} | no model_id" })
    void eachListingParsesIdsAndRefusesWhatIsNotAListing(String name, String listing, String ids, String other,
            String problem) {
        ModelListing modelListing = KnownProviderTypes.get(name).modelListing().orElseThrow();
        assertEquals(List.of(ids.split(",")), modelListing.ids(json(listing)));
        assertEquals(modelListing.request(), KnownProviderTypes.get(name).connectionCheck().first(provider(name)),
                "the listing is Test Connection's first request");
        assertTrue(KnownProviderTypes.get(name).connectionCheck().lists());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> modelListing.ids(json(other)));
        assertEquals(problem, refused.getMessage());
    }

    @Test
    void replicateAndCustomHaveNoListingAndSayWhy() {
        for (String name : List.of("replicate", "custom")) {
            ProviderType type = KnownProviderTypes.get(name);
            assertTrue(type.modelListing().isEmpty(), name);
            assertFalse(type.connectionCheck().lists(), name);
            assertTrue(type.connectionCheck().modelsNote().contains("no model listing"), name);
        }
        assertEquals("GET /account", KnownProviderTypes.get("replicate").connectionCheck()
                .first(new ProviderConfig("p", "replicate", true, List.of(), null, List.of(), null, null, null, null,
                        null, null))
                .describe(), "the account without a model");
    }

    @Test
    void onlyCustomTakesRequestAndTransform() {
        KnownProviderTypes.all().forEach(type -> assertEquals(type.name().equals("custom"),
                type.takesRequestAndTransform(), type.name()));
    }

    @Test
    void aListingIsReadUpToItsBound() {
        ArrayNode data = JSON.createObjectNode().putArray("data");
        for (int i = 0; i < ModelListing.MAX_ITEMS + 5; i++) {
            data.addObject().put("id", "m" + i);
        }
        JsonNode body = JSON.createObjectNode().set("data", data);
        assertEquals(ModelListing.MAX_ITEMS, KnownProviderTypes.get("openai-compatible").modelListing().orElseThrow()
                .ids(body).size());
    }

    @Test
    void eachChatAnswerIsJudgedByTheTypesShape() {
        assertNull(check("openai-compatible", "{'choices':[]}"));
        assertEquals("no choices array", check("openai-compatible", "{'content':[]}"));
        assertNull(check("anthropic", "{'content':[]}"));
        assertEquals("no content array", check("anthropic", "{'choices':[]}"));
        assertNull(check("ollama", "{'message':{}}"));
        assertEquals("no message object", check("ollama", "{'message':'x'}"));
        assertNull(check("tgi", "{'generated_text':'x'}"));
        assertEquals("no generated_text", check("tgi", "{}"));
        assertNull(check("custom", "{'out':'x'}"));
    }

    @Test
    void aFailingTransformIsACheckFailureAndSendsNothing() {
        Transforms failing = new Transforms() {
            @Override
            public JsonNode apply(String program, JsonNode input) throws Exception {
                throw new Exception("boom");
            }

            @Override
            public String said(Exception failure) {
                return ": jq said '" + failure.getMessage() + "'";
            }
        };
        CheckFailure failure = assertThrows(CheckFailure.class, () -> KnownProviderTypes.get("custom")
                .connectionCheck().chat(provider("custom"), MODEL, failing));
        assertEquals("the jq request transform failed on a one-token chat: jq said 'boom'", failure.getMessage());
        assertEquals("the jq response transform failed on the upstream's answer: jq said 'boom'",
                KnownProviderTypes.get("custom").connectionCheck().checkChat(provider("custom"), json("{}"), failing));
    }

    private static JsonNode chatBody(String name, Transforms transforms) {
        return KnownProviderTypes.get(name).connectionCheck().chat(provider(name), MODEL, transforms).body();
    }

    private static String check(String name, String body) {
        return KnownProviderTypes.get(name).connectionCheck().checkChat(provider(name), json(body), new JqLike());
    }

    /** The two programs of {@link #provider}, hand-run (this module runs no jq). */
    private static final class JqLike implements Transforms {
        @Override
        public JsonNode apply(String program, JsonNode input) {
            if (program.startsWith("{prompt")) {
                return JSON.createObjectNode().put("prompt", input.path("messages").get(0).path("content").asText());
            }
            ArrayNode choices = JSON.createArrayNode().add(input.path("out"));
            return JSON.createObjectNode().set("choices", choices);
        }

        @Override
        public String said(Exception failure) {
            return "";
        }
    }
}
