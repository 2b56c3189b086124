package io.visca.gateway.router.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.router.testing.HostileBodies.Op;

/**
 * Where {@link HostileBodies} put their hostile values: paths of field names and array indexes into a body, drawn
 * from templates of every parameter the gateway reads, moves or translates (or any node of the body), and set in a
 * tree (containers made or replaced on the way).
 */
final class MutationPaths {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MutationPaths() {
    }

    /** A path from the templates of {@code op}, resolved against {@code tree}. */
    static List<Object> template(Op op, JsonNode tree, Random random) {
        List<String> templates = TEMPLATES.get(op);
        return resolve(templates.get(random.nextInt(templates.size())), tree, random);
    }

    /** Where mutations go: every parameter the gateway reads, moves or translates, at every depth it looks. */
    private static final Map<Op, List<String>> TEMPLATES = Map.of(
            Op.CHAT, List.of("model", "messages", "messages[*]", "messages[*].role", "messages[*].content",
                    "messages[*].content[*]", "messages[*].content[*].type", "messages[*].content[*].text",
                    "messages[*].content[*].image_url", "messages[*].content[*].image_url.url",
                    "messages[*].content[*].file.file_data", "messages[*].tool_calls", "messages[*].tool_calls[*]",
                    "messages[*].tool_calls[*].id", "messages[*].tool_calls[*].function",
                    "messages[*].tool_calls[*].function.name", "messages[*].tool_calls[*].function.arguments",
                    "messages[*].tool_calls[*].function.arguments", "messages[*].content[*].image_url.url",
                    "messages[*].tool_call_id", "messages[*].name", "stream", "stream_options",
                    "stream_options.include_usage", "routing", "routing.strategy", "routing.providers",
                    "routing.providers[*]", "routing.fallback", "routing.weights", "routing.weights.*", "routing.*",
                    "tools", "tools[*]", "tools[*].type", "tools[*].function", "tools[*].function.name",
                    "tools[*].function.parameters", "tools[*].function.description", "tool_choice", "tool_choice.type",
                    "tool_choice.function", "tool_choice.function.name", "parallel_tool_calls", "response_format",
                    "response_format.type", "response_format.json_schema", "response_format.json_schema.schema",
                    "max_tokens", "max_completion_tokens", "n", "temperature", "top_p", "stop", "stop[*]",
                    "logit_bias", "logit_bias.*", "user", "seed", "frequency_penalty", "presence_penalty", "logprobs",
                    "top_logprobs", "*"),
            Op.COMPLETIONS, List.of("model", "prompt", "prompt[*]", "prompt[*][*]", "stream", "stream_options",
                    "stream_options.include_usage", "routing", "routing.strategy", "routing.providers[*]",
                    "routing.weights.*", "max_tokens", "n", "best_of", "temperature", "top_p", "stop", "stop[*]",
                    "logit_bias", "logit_bias.*", "user", "seed", "echo", "suffix", "logprobs", "*"),
            Op.EMBEDDINGS, List.of("model", "input", "input[*]", "input[*][*]", "encoding_format", "dimensions",
                    "user", "stream", "stream_options", "routing", "routing.providers", "routing.providers[*]",
                    "routing.fallback", "*"));

    /** The node at {@code path}, or null. */
    static JsonNode at(JsonNode tree, List<Object> path) {
        JsonNode node = tree;
        for (Object segment : path) {
            node = segment instanceof Integer i ? node.path(i) : node.path((String) segment);
        }
        return node.isMissingNode() ? null : node;
    }

    /**
     * A template's {@code [*]} as an index in or just past the array there (mostly one whose element goes on as the
     * template does), its {@code *} as a key there or a new one.
     */
    private static List<Object> resolve(String template, JsonNode tree, Random random) {
        List<Object> path = new ArrayList<>();
        JsonNode at = tree;
        String[] parts = template.split("\\.");
        for (int p = 0; p < parts.length; p++) {
            String part = parts[p];
            String next = p + 1 < parts.length ? parts[p + 1].replaceAll("\\[.*", "") : null;
            String name = part.contains("[") ? part.substring(0, part.indexOf('[')) : part;
            if (name.equals("*")) {
                List<String> keys = new ArrayList<>();
                at.fieldNames().forEachRemaining(keys::add);
                name = keys.isEmpty() || random.nextInt(3) == 0 ? HostileJson.text(random).asText()
                        : keys.get(random.nextInt(keys.size()));
            }
            path.add(name);
            at = at.path(name);
            for (int k = part.indexOf("[*]"); k >= 0; k = part.indexOf("[*]", k + 1)) {
                List<Integer> leading = new ArrayList<>();
                for (int i = 0; next != null && i < at.size(); i++) {
                    if (at.path(i).has(next)) {
                        leading.add(i);
                    }
                }
                int index = !leading.isEmpty() && random.nextInt(3) > 0 ? leading.get(random.nextInt(leading.size()))
                        : random.nextInt(Math.max(1, at.size() + (random.nextInt(5) == 0 ? 1 : 0)));
                path.add(index);
                at = at.path(index);
            }
        }
        return path;
    }

    /** Any node of the tree (not the root). */
    static List<Object> existing(JsonNode tree, Random random) {
        List<List<Object>> paths = new ArrayList<>();
        collect(tree, new ArrayList<>(), paths);
        return paths.isEmpty() ? List.of("model") : paths.get(random.nextInt(paths.size()));
    }

    private static void collect(JsonNode node, List<Object> prefix, List<List<Object>> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                List<Object> path = new ArrayList<>(prefix);
                path.add(e.getKey());
                out.add(path);
                collect(e.getValue(), path, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> path = new ArrayList<>(prefix);
                path.add(i);
                out.add(path);
                collect(node.get(i), path, out);
            }
        }
    }

    /** {@code node} with {@code value} set at {@code path} (containers made or replaced on the way). */
    static JsonNode set(JsonNode node, List<Object> path, int i, JsonNode value) {
        if (i == path.size()) {
            return value;
        }
        if (path.get(i) instanceof String field) {
            ObjectNode object = node instanceof ObjectNode o ? o : NODES.objectNode();
            JsonNode child = object.get(field);
            JsonNode updated = set(child == null ? MissingNode.getInstance() : child, path, i + 1, value);
            if (updated == null) {
                object.remove(field);
            } else {
                object.set(field, updated);
            }
            return object;
        }
        int index = (Integer) path.get(i);
        ArrayNode array = node instanceof ArrayNode a ? a : NODES.arrayNode();
        JsonNode updated = set(index < array.size() ? array.get(index) : MissingNode.getInstance(), path, i + 1, value);
        if (updated == null) {
            if (index < array.size()) {
                array.remove(index);
            }
        } else if (index < array.size()) {
            array.set(index, updated);
        } else {
            array.add(updated);
        }
        return array;
    }

}
