package io.visca.gateway.router.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.vertx.core.buffer.Buffer;

/**
 * Reads a provider's own message out of an upstream error body, for the adapters' {@code error} mapping: the body as
 * JSON, where every field of a body that is not JSON is simply absent, and lookups of message fields. Which fields,
 * in which order, stays in each adapter: it is the provider's wire format.
 */
public final class ErrorBodies {

    private ErrorBodies() {
    }

    /**
     * The body as JSON; a missing node when it is empty or not JSON (a proxy's HTML page), so that fields read from it
     * are absent.
     */
    public static JsonNode json(Buffer body) {
        try {
            JsonNode json = Json.read(body);
            return json == null ? MissingNode.getInstance() : json;
        } catch (Exception e) {
            return MissingNode.getInstance();
        }
    }

    /**
     * The first of {@code pointers} (JSON pointers such as {@code /error/message}) that holds a string in
     * {@code json}, or null.
     */
    public static String firstString(JsonNode json, String... pointers) {
        for (String pointer : pointers) {
            JsonNode value = json.at(pointer);
            if (value.isTextual()) {
                return value.asText();
            }
        }
        return null;
    }

    /**
     * The message of OpenAI's {@code {"error":{"message"}}}, TGI's {@code {"error"}}, vLLM's {@code {"message"}} or
     * FastAPI's {@code {"detail"}} (see {@link #json}); null when none is there.
     */
    public static String openAiMessage(JsonNode json) {
        JsonNode error = json.path("error");
        if (error.isObject()) {
            return error.path("message").asText(null);
        }
        if (error.isTextual()) {
            return error.asText();
        }
        return json.hasNonNull("message") ? json.path("message").asText() : json.path("detail").asText(null);
    }
}
