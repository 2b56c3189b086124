package io.visca.gateway.registry.provider.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.ProviderTypes;
import io.visca.gateway.outbound.UpstreamExcerpt;
import io.visca.gateway.registry.provider.mapping.JqPrograms;

/**
 * What "Test Connection" sends to an endpoint of each provider type, in that type's real wire format, and how it
 * reads the answers: a model listing (or, for types without one, a reachability request) and a one-token chat.
 */
abstract class TypeProbe {

    static final String PROMPT = "ping";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern REPLICATE_MODEL = Pattern.compile("([\\w.-]+/[\\w.-]+)(:\\w+)?");

    /** One HTTP request, relative to the endpoint's base URL. */
    record Call(String method, String path, JsonNode body, Map<String, String> headers) {

        String describe() {
            return method + " " + path;
        }
    }

    /** The first request: a model listing, a reachability request, or null (custom: the chat is the only call). */
    abstract Call first(ProviderConfig provider);

    /** Whether {@link #first} lists models (else {@link #modelsNote} says why there is no listing). */
    boolean lists() {
        return true;
    }

    String modelsNote() {
        return null;
    }

    /** The model ids in the listing's body. */
    List<String> modelIds(JsonNode body) {
        return List.of();
    }

    /** The one-token chat to {@code model}, or null when the type has none ({@link #chatNote} says why). */
    abstract Call chat(ProviderConfig provider, ModelConfig model);

    String chatNote() {
        return null;
    }

    /**
     * @return null when the chat's answer has the type's shape, else what is missing
     */
    abstract String checkChat(ProviderConfig provider, JsonNode body);

    static TypeProbe forType(String type) {
        return switch (type) {
            case ProviderTypes.ANTHROPIC -> new Anthropic();
            case ProviderTypes.OLLAMA -> new Ollama();
            case ProviderTypes.TGI -> new Tgi();
            case ProviderTypes.REPLICATE -> new Replicate();
            case ProviderTypes.CUSTOM -> new Custom();
            default -> new OpenAiCompatible();
        };
    }

    static ObjectNode chatRequest(String model) {
        ObjectNode body = NODES.objectNode().put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", PROMPT);
        return body;
    }

    /** The {@code field} of each item of the body's {@code array}; a body without that array is not a listing. */
    static List<String> listed(JsonNode body, String array, String field) {
        if (!body.path(array).isArray()) {
            throw new IllegalArgumentException("no " + array + " array");
        }
        List<String> ids = new ArrayList<>();
        body.path(array).forEach(item -> {
            if (item.path(field).isTextual()) {
                ids.add(item.path(field).textValue());
            }
        });
        return ids;
    }

    static final class OpenAiCompatible extends TypeProbe {
        Call first(ProviderConfig provider) {
            return new Call("GET", "/models", null, Map.of());
        }

        List<String> modelIds(JsonNode body) {
            return listed(body, "data", "id");
        }

        Call chat(ProviderConfig provider, ModelConfig model) {
            return new Call("POST", "/chat/completions", chatRequest(model.upstreamId()).put("max_tokens", 1)
                    .put("stream", false), Map.of());
        }

        String checkChat(ProviderConfig provider, JsonNode body) {
            return body.path("choices").isArray() ? null : "no choices array";
        }
    }

    static final class Anthropic extends TypeProbe {
        private static final Map<String, String> VERSION = Map.of("anthropic-version", "2023-06-01");

        Call first(ProviderConfig provider) {
            return new Call("GET", "/v1/models", null, VERSION);
        }

        List<String> modelIds(JsonNode body) {
            return listed(body, "data", "id");
        }

        Call chat(ProviderConfig provider, ModelConfig model) {
            return new Call("POST", "/v1/messages", chatRequest(model.upstreamId()).put("max_tokens", 1), VERSION);
        }

        String checkChat(ProviderConfig provider, JsonNode body) {
            return body.path("content").isArray() ? null : "no content array";
        }
    }

    static final class Ollama extends TypeProbe {
        Call first(ProviderConfig provider) {
            return new Call("GET", "/api/tags", null, Map.of());
        }

        List<String> modelIds(JsonNode body) {
            return listed(body, "models", "name");
        }

        Call chat(ProviderConfig provider, ModelConfig model) {
            ObjectNode body = chatRequest(model.upstreamId()).put("stream", false);
            body.putObject("options").put("num_predict", 1);
            return new Call("POST", "/api/chat", body, Map.of());
        }

        String checkChat(ProviderConfig provider, JsonNode body) {
            return body.path("message").isObject() ? null : "no message object";
        }
    }

    static final class Tgi extends TypeProbe {
        Call first(ProviderConfig provider) {
            return new Call("GET", "/info", null, Map.of());
        }

        List<String> modelIds(JsonNode body) {
            if (!body.path("model_id").isTextual()) {
                throw new IllegalArgumentException("no model_id");
            }
            return List.of(body.path("model_id").textValue());
        }

        Call chat(ProviderConfig provider, ModelConfig model) {
            ObjectNode body = NODES.objectNode().put("inputs", PROMPT);
            body.putObject("parameters").put("max_new_tokens", 1);
            return new Call("POST", "/generate", body, Map.of());
        }

        String checkChat(ProviderConfig provider, JsonNode body) {
            return body.path("generated_text").isTextual() ? null : "no generated_text";
        }
    }

    /** Replicate bills each prediction and may cold-start a model for minutes: only reachability and auth. */
    static final class Replicate extends TypeProbe {
        Call first(ProviderConfig provider) {
            var matcher = provider.models().isEmpty() ? null
                    : REPLICATE_MODEL.matcher(provider.models().get(0).upstreamId());
            String path = matcher != null && matcher.matches() ? "/models/" + matcher.group(1) : "/account";
            return new Call("GET", path, null, Map.of());
        }

        boolean lists() {
            return false;
        }

        String modelsNote() {
            return "replicate has no model listing; checked that the endpoint answers and accepts the credentials";
        }

        Call chat(ProviderConfig provider, ModelConfig model) {
            return null;
        }

        String chatNote() {
            return "not attempted for replicate: a prediction is billed and may wait for a cold start";
        }

        String checkChat(ProviderConfig provider, JsonNode body) {
            return null;
        }
    }

    /**
     * jq's own message, which may quote the data (an upstream's whole body): only a short sanitized excerpt, marked as
     * jq's words.
     */
    static String jqSaid(Exception e) {
        String quoted = UpstreamExcerpt.quote("jq", e.getMessage());
        return quoted.isEmpty() ? "" : ": " + quoted;
    }

    /** The configured request, its body made by the jq request transform from a one-token chat. */
    static final class Custom extends TypeProbe {
        Call first(ProviderConfig provider) {
            return null;
        }

        boolean lists() {
            return false;
        }

        String modelsNote() {
            return "custom providers have no model listing";
        }

        Call chat(ProviderConfig provider, ModelConfig model) {
            ObjectNode chat = chatRequest(model.upstreamId()).put("max_tokens", 1);
            JsonNode body = null;
            if (!"GET".equals(provider.request().method())) {
                try {
                    body = JqPrograms.apply(provider.transform().request(), chat);
                } catch (Exception e) {
                    throw new ProbeFailure(ProbeFailure.UNEXPECTED_BODY, null, "the jq request transform failed on a "
                            + "one-token chat" + jqSaid(e));
                }
            }
            return new Call(provider.request().method(), provider.request().path(), body,
                    provider.request().headers());
        }

        String checkChat(ProviderConfig provider, JsonNode body) {
            try {
                JsonNode mapped = JqPrograms.apply(provider.transform().response(), body);
                return mapped.isObject() ? null : "the jq response transform did not produce an object";
            } catch (Exception e) {
                return "the jq response transform failed on the upstream's answer" + jqSaid(e);
            }
        }
    }
}
