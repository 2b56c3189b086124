package io.visca.gateway.router.proxy;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.error.GatewayError;

/**
 * The JSON types of OpenAI's request parameters that the gateway reads, moves or translates ({@code stream_options},
 * sampling parameters, {@code stop}, {@code tools}, message content and tool calls, prompts and inputs), checked
 * before routing. A wrong type is the client's mistake, answered as OpenAI answers it (400 {@code invalid_type},
 * {@code param} naming the field, e.g. {@code messages[2].content}); it never reaches an adapter, which could only
 * drop it or fail on it. Values are the upstream's to judge (ranges, known model names, tool schemas).
 */
final class ParameterTypes {

    private static final String[] NUMBERS = { "temperature", "top_p", "frequency_penalty", "presence_penalty" };
    private static final String[] CHAT_INTEGERS = { "max_tokens", "max_completion_tokens", "n", "seed",
            "top_logprobs" };
    private static final String[] COMPLETION_INTEGERS = { "max_tokens", "n", "best_of", "seed", "logprobs" };

    private ParameterTypes() {
    }

    /** @throws GatewayError 400 {@code invalid_type} for the first parameter of a wrong type */
    static void check(Operation operation, ObjectNode request) {
        JsonNode streamOptions = optional(request, "stream_options", JsonNode::isObject, "an object");
        if (streamOptions != null) {
            optional(streamOptions, "include_usage", "stream_options.include_usage", JsonNode::isBoolean,
                    "a boolean");
        }
        optional(request, "user", JsonNode::isTextual, "a string");
        switch (operation) {
            case CHAT -> chat(request);
            case COMPLETIONS -> completions(request);
            case EMBEDDINGS -> {
                tokens(request.get("input"), "input");
                optional(request, "encoding_format", JsonNode::isTextual, "a string");
                optional(request, "dimensions", ParameterTypes::isInteger, "an integer");
            }
        }
    }

    private static void chat(ObjectNode request) {
        sampling(request, CHAT_INTEGERS);
        optional(request, "parallel_tool_calls", JsonNode::isBoolean, "a boolean");
        optional(request, "logprobs", JsonNode::isBoolean, "a boolean");
        optional(request, "tool_choice", node -> node.isTextual() || node.isObject(),
                "a string ('none', 'auto', 'required') or an object naming a function");
        JsonNode format = optional(request, "response_format", JsonNode::isObject, "an object");
        if (format != null && !format.path("type").isTextual()) {
            throw invalid("response_format.type", "a string ('text', 'json_object' or 'json_schema')");
        }
        JsonNode tools = optional(request, "tools", JsonNode::isArray, "an array of tools");
        for (int k = 0; tools != null && k < tools.size(); k++) {
            JsonNode tool = element(tools, k, "tools", "a tool object");
            optional(tool, "type", "tools[" + k + "].type", JsonNode::isTextual, "a string");
            optional(tool, "function", "tools[" + k + "].function", JsonNode::isObject, "an object");
        }
        JsonNode messages = request.get("messages");
        for (int i = 0; i < messages.size(); i++) {
            message(messages.get(i), "messages[" + i + "]");
        }
    }

    private static void message(JsonNode message, String at) {
        JsonNode content = optional(message, "content", at + ".content",
                node -> node.isTextual() || node.isArray(), "a string, an array of content parts or null");
        if (content != null && content.isArray()) {
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = element(content, j, at + ".content", "a content part object");
                if (!part.path("type").isTextual()) {
                    throw invalid(at + ".content[" + j + "].type", "a string");
                }
            }
        }
        JsonNode toolCalls = optional(message, "tool_calls", at + ".tool_calls", JsonNode::isArray,
                "an array of tool calls");
        for (int j = 0; toolCalls != null && j < toolCalls.size(); j++) {
            JsonNode call = element(toolCalls, j, at + ".tool_calls", "a tool call object");
            optional(call, "function", at + ".tool_calls[" + j + "].function", JsonNode::isObject, "an object");
        }
    }

    private static void completions(ObjectNode request) {
        tokens(request.get("prompt"), "prompt");
        sampling(request, COMPLETION_INTEGERS);
        optional(request, "echo", JsonNode::isBoolean, "a boolean");
        optional(request, "suffix", JsonNode::isTextual, "a string");
    }

    /** The numeric parameters, {@code stop} and {@code logit_bias}. */
    private static void sampling(ObjectNode request, String[] integers) {
        for (String field : integers) {
            optional(request, field, ParameterTypes::isInteger, "an integer");
        }
        for (String field : NUMBERS) {
            optional(request, field, ParameterTypes::isNumber, "a number");
        }
        JsonNode stop = optional(request, "stop", node -> node.isTextual() || node.isArray(),
                "a string or an array of strings");
        for (int k = 0; stop != null && stop.isArray() && k < stop.size(); k++) {
            if (!stop.get(k).isTextual()) {
                throw invalid("stop[" + k + "]", "a string");
            }
        }
        JsonNode bias = optional(request, "logit_bias", JsonNode::isObject, "an object of token ids to numbers");
        if (bias != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = bias.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!isNumber(entry.getValue())) {
                    throw invalid("logit_bias." + entry.getKey(), "a number");
                }
            }
        }
    }

    /** A prompt or embedding input: a string, or an array of strings, token ids or arrays of token ids. */
    private static void tokens(JsonNode value, String field) {
        if (value.isTextual()) {
            return;
        }
        String expected = "a string, an array of strings, an array of token ids or an array of token id arrays";
        if (!value.isArray()) {
            throw invalid(field, expected);
        }
        for (int k = 0; k < value.size(); k++) {
            JsonNode item = value.get(k);
            boolean tokenArray = item.isArray();
            for (int t = 0; tokenArray && t < item.size(); t++) {
                tokenArray = isInteger(item.get(t));
            }
            if (!item.isTextual() && !isInteger(item) && !tokenArray) {
                throw invalid(field + "[" + k + "]", "a string, a token id or an array of token ids");
            }
        }
    }

    private static JsonNode optional(JsonNode parent, String field, java.util.function.Predicate<JsonNode> valid,
            String expected) {
        return optional(parent, field, field, valid, expected);
    }

    /** @return the value when it is present and not null (and valid), else null */
    private static JsonNode optional(JsonNode parent, String field, String param,
            java.util.function.Predicate<JsonNode> valid, String expected) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!valid.test(value)) {
            throw invalid(param, expected);
        }
        return value;
    }

    private static JsonNode element(JsonNode array, int index, String at, String expected) {
        JsonNode item = array.get(index);
        if (!item.isObject()) {
            throw invalid(at + "[" + index + "]", expected);
        }
        return item;
    }

    /** A whole number within a long's range; {@code 16.0} counts, as JSON does not tell them apart. */
    static boolean isInteger(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.canConvertToLong();
        }
        if (!node.isFloatingPointNumber()) {
            return false;
        }
        double value = node.doubleValue();
        return Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 0x1p63;
    }

    /** A finite number ({@code 1e400} is a number in JSON's grammar, but none a model can use). */
    static boolean isNumber(JsonNode node) {
        return node.isNumber() && (!node.isFloatingPointNumber() || Double.isFinite(node.doubleValue()));
    }

    private static GatewayError invalid(String param, String expected) {
        return GatewayError.badRequest("'" + param + "' must be " + expected + ".", param, "invalid_type");
    }
}
