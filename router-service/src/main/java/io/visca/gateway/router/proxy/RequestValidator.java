package io.visca.gateway.router.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.error.GatewayError;

/**
 * The checks the gateway itself needs before routing (a model to route by, something to send), and the JSON types of
 * the parameters it reads or translates ({@link ParameterTypes}); values are the upstream's to judge. Errors name the
 * parameter, as OpenAI's do.
 */
public final class RequestValidator {

    private RequestValidator() {
    }

    /** @return the requested model id */
    public static String validate(Operation operation, ObjectNode request) {
        JsonNode model = request.get("model");
        if (model == null || model.isNull()) {
            throw GatewayError.badRequest("You must provide a model parameter.", "model", "missing_required_parameter");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw GatewayError.badRequest("'model' must be a non-empty string.", "model", "invalid_type");
        }
        JsonNode stream = request.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw GatewayError.badRequest("'stream' must be a boolean.", "stream", "invalid_type");
        }
        switch (operation) {
            case CHAT -> messages(request.get("messages"));
            case COMPLETIONS -> required(request, "prompt");
            case EMBEDDINGS -> required(request, "input");
        }
        ParameterTypes.check(operation, request);
        return model.asText();
    }

    private static void messages(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw GatewayError.badRequest("Missing required parameter: 'messages'.", "messages",
                    "missing_required_parameter");
        }
        if (!messages.isArray()) {
            throw GatewayError.badRequest("'messages' must be an array of message objects.", "messages",
                    "invalid_type");
        }
        if (messages.isEmpty()) {
            throw GatewayError.badRequest("'messages' must contain at least one message.", "messages",
                    "empty_array");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject() || !message.path("role").isTextual()) {
                throw GatewayError.badRequest("messages[" + i + "] must be an object with a string 'role'.",
                        "messages[" + i + "].role", "invalid_type");
            }
        }
    }

    private static void required(ObjectNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull() || (value.isArray() && value.isEmpty())
                || (value.isTextual() && value.asText().isEmpty())) {
            throw GatewayError.badRequest("Missing required parameter: '" + field + "'.", field,
                    "missing_required_parameter");
        }
    }
}
