package io.visca.gateway.router.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Generated /v1 request bodies: a valid body of the operation (chat with system, multimodal and tool turns, text
 * completions, embeddings, with the optional parameters, the gateway's {@code routing} object, sometimes streamed),
 * then one to three fields replaced, at any depth that matters, by a {@link HostileJson hostile value} (or removed).
 * Also bodies that are random JSON or no JSON object at all. Everything comes from the given {@link Random}: one seed,
 * one body.
 */
public final class HostileBodies {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The three POST operations of /v1. */
    public enum Op {
        CHAT("/v1/chat/completions"),
        COMPLETIONS("/v1/completions"),
        EMBEDDINGS("/v1/embeddings");

        public final String path;

        Op(String path) {
            this.path = path;
        }
    }

    /** What the bodies name: models per operation, and the providers serving each model (for {@code routing}). */
    public record Targets(Map<Op, List<String>> models, Map<String, List<String>> providers) {
    }

    /** A field set to a value at a path of field names and array indexes; a null value removes the field. */
    public record Mutation(List<Object> path, JsonNode value) {

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            for (Object segment : path) {
                out.append(segment instanceof Integer i ? "[" + i + "]" : (out.length() > 0 ? "." : "") + segment);
            }
            String shown = value == null ? "(removed)" : new String(HostileJson.write(value), StandardCharsets.UTF_8);
            return out + " = " + (shown.length() > 120 ? shown.substring(0, 120) + "...(" + shown.length() + ")" : shown);
        }
    }

    /** One request: a base body and its mutations, or raw bytes. */
    public record Body(Op op, ObjectNode base, List<Mutation> mutations, byte[] raw) {

        public JsonNode tree() {
            JsonNode body = base.deepCopy();
            for (Mutation m : mutations) {
                body = MutationPaths.set(body, m.path(), 0, m.value());
            }
            return body;
        }

        public byte[] bytes() {
            return raw != null ? raw : HostileJson.write(tree());
        }

        /** The same body without mutation {@code index}. */
        public Body without(int index) {
            List<Mutation> fewer = new ArrayList<>(mutations);
            fewer.remove(index);
            return new Body(op, base, fewer, raw);
        }

        /** The same body without the base's top-level field {@code field}. */
        public Body withoutBaseField(String field) {
            ObjectNode smaller = base.deepCopy();
            smaller.remove(field);
            return new Body(op, smaller, mutations, raw);
        }

        @Override
        public String toString() {
            if (raw != null) {
                return op.path + " with bytes (base64) " + Base64.getEncoder().encodeToString(raw);
            }
            String text = new String(bytes(), StandardCharsets.UTF_8);
            return op.path + " " + (text.length() > 3000 ? text.substring(0, 3000) + "...(" + text.length() + ")" : text)
                    + "\n  from " + new String(HostileJson.write(base), StandardCharsets.UTF_8) + "\n  with "
                    + mutations;
        }
    }

    private HostileBodies() {
    }

    /** A valid body of {@code op} with one to three fields made hostile. */
    public static Body mutated(Op op, Random random, Targets targets) {
        ObjectNode base = valid(op, random, targets);
        List<Mutation> mutations = new ArrayList<>();
        int count = random.nextInt(10) < 6 ? 1 : random.nextInt(10) < 6 ? 2 : 3;
        JsonNode current = base;
        for (int i = 0; i < count; i++) {
            List<Object> path = random.nextInt(4) == 0 ? MutationPaths.existing(current, random)
                    : MutationPaths.template(op, current, random);
            Object last = path.get(path.size() - 1);
            JsonNode value = random.nextInt(12) == 0 ? null
                    : random.nextInt(8) == 0 ? lookalike(random, targets)
                            : HostileJson.valueFor(last instanceof String field ? field : "", MutationPaths.at(current, path),
                                    random);
            Mutation mutation = new Mutation(path, value);
            mutations.add(mutation);
            current = MutationPaths.set(current.deepCopy(), path, 0, value);
        }
        return new Body(op, base, mutations, null);
    }

    /** Random JSON (an object with parameter-like keys, or any value), or bytes that are no JSON object. */
    public static Body garbage(Op op, Random random, Targets targets) {
        if (random.nextBoolean()) {
            return new Body(op, NODES.objectNode(), List.of(), HostileJson.notAnObject(random,
                    r -> valid(op, r, targets)));
        }
        JsonNode any = HostileJson.any(random, 4);
        ObjectNode base = any.isObject() ? (ObjectNode) any : NODES.objectNode();
        if (random.nextBoolean()) {
            base.put("model", pick(random, targets.models().get(op)));
        }
        return new Body(op, base, List.of(), any.isObject() ? null : HostileJson.write(any));
    }

    // ---------------------------------------------------------------------------------------------- valid bodies

    /** A valid body of {@code op}: what a careful client sends. */
    public static ObjectNode valid(Op op, Random random, Targets targets) {
        String model = pick(random, targets.models().get(op));
        ObjectNode body = NODES.objectNode().put("model", model);
        switch (op) {
            case CHAT -> chat(body, random);
            case COMPLETIONS -> completion(body, random);
            case EMBEDDINGS -> embedding(body, random);
        }
        if (op != Op.EMBEDDINGS && random.nextInt(3) == 0) {
            body.put("stream", true);
            if (random.nextBoolean()) {
                body.putObject("stream_options").put("include_usage", random.nextBoolean());
            }
        }
        if (random.nextInt(4) == 0) {
            routing(body.putObject("routing"), random, targets.providers().getOrDefault(model, List.of()));
        }
        return body;
    }

    private static void chat(ObjectNode body, Random random) {
        ArrayNode messages = body.putArray("messages");
        switch (random.nextInt(5)) {
            case 0 -> messages.addObject().put("role", "user").put("content", "Hi");
            case 1 -> {
                messages.addObject().put("role", "system").put("content", "Be brief.");
                messages.addObject().put("role", "user").put("content", "Tell me a fact about foxes");
            }
            case 2 -> {
                messages.addObject().put("role", "developer").putArray("content").addObject().put("type", "text")
                        .put("text", "Answer in French.");
                ArrayNode parts = messages.addObject().put("role", "user").putArray("content");
                parts.addObject().put("type", "text").put("text", "What is on this?");
                parts.addObject().put("type", "image_url").putObject("image_url").put("url",
                        "data:image/png;base64,iVBORw0KGgo=");
            }
            default -> {
                messages.addObject().put("role", "user").put("content", "Weather in Paris?");
                ObjectNode call = messages.addObject().put("role", "assistant").putNull("content")
                        .putArray("tool_calls").addObject().put("id", "call_1").put("type", "function");
                call.putObject("function").put("name", "get_weather").put("arguments", "{\"city\":\"Paris\"}");
                messages.addObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "18C");
                messages.addObject().put("role", "user").put("content", "Thanks!");
            }
        }
        sampling(body, random);
        maybe(random, () -> body.put("max_completion_tokens", 1 + random.nextInt(64)));
        maybe(random, () -> body.put("parallel_tool_calls", random.nextBoolean()));
        maybe(random, () -> body.put("logprobs", false));
        if (random.nextInt(3) == 0) {
            ObjectNode function = body.putArray("tools").addObject().put("type", "function").putObject("function")
                    .put("name", "get_weather").put("description", "Weather in a city");
            function.putObject("parameters").put("type", "object").putObject("properties").putObject("city")
                    .put("type", "string");
            switch (random.nextInt(5)) {
                case 0 -> body.put("tool_choice", "auto");
                case 1 -> body.put("tool_choice", "required");
                case 2 -> body.putObject("tool_choice").put("type", "function").putObject("function").put("name",
                        "get_weather");
                default -> {
                }
            }
        }
        switch (random.nextInt(6)) {
            case 0 -> body.putObject("response_format").put("type", "json_object");
            case 1 -> body.putObject("response_format").put("type", "text");
            case 2 -> body.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                    .put("name", "fact").putObject("schema").put("type", "object");
            default -> {
            }
        }
    }

    private static void completion(ObjectNode body, Random random) {
        switch (random.nextInt(4)) {
            case 0, 1 -> body.put("prompt", "Say hi");
            case 2 -> body.putArray("prompt").add("Say hi");
            default -> body.putArray("prompt").addArray().add(1).add(2).add(3);
        }
        sampling(body, random);
        maybe(random, () -> body.put("echo", false));
        maybe(random, () -> body.put("suffix", " end"));
        maybe(random, () -> body.put("best_of", 1));
    }

    private static void embedding(ObjectNode body, Random random) {
        switch (random.nextInt(4)) {
            case 0, 1 -> body.put("input", "hello fox");
            case 2 -> body.putArray("input").add("a fox").add("a hound");
            default -> body.putArray("input").add(1).add(2).add(3);
        }
        maybe(random, () -> body.put("encoding_format", random.nextBoolean() ? "float" : "base64"));
        maybe(random, () -> body.put("dimensions", 8));
        maybe(random, () -> body.put("user", "u-42"));
    }

    private static void sampling(ObjectNode body, Random random) {
        maybe(random, () -> body.put("max_tokens", 1 + random.nextInt(64)));
        maybe(random, () -> body.put("temperature", 0.2));
        maybe(random, () -> body.put("top_p", 0.9));
        maybe(random, () -> body.put("n", 1));
        maybe(random, () -> {
            if (random.nextBoolean()) {
                body.put("stop", "END");
            } else {
                body.putArray("stop").add("END").add("STOP");
            }
        });
        maybe(random, () -> body.put("user", "u-42"));
        maybe(random, () -> body.put("seed", 7));
        maybe(random, () -> body.putObject("logit_bias").put("50256", -100));
        maybe(random, () -> body.put("frequency_penalty", 0.1));
        maybe(random, () -> body.put("presence_penalty", 0));
    }

    private static void routing(ObjectNode routing, Random random, List<String> providers) {
        routing.put("strategy", pick(random, List.of("priority", "cost-optimized", "latency-optimized", "round-robin",
                "least-busy", "weighted")));
        if (!providers.isEmpty() && random.nextBoolean()) {
            providers.forEach(routing.putArray("providers")::add);
        }
        maybe(random, () -> routing.put("fallback", random.nextBoolean()));
        if (!providers.isEmpty() && random.nextInt(3) == 0) {
            routing.putObject("weights").put(providers.get(0), 2);
        }
    }

    private static void maybe(Random random, Runnable action) {
        if (random.nextInt(10) < 3) {
            action.run();
        }
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Valid-looking values: names the gateway knows, in places they may not belong. */
    private static JsonNode lookalike(Random random, Targets targets) {
        List<String> names = new ArrayList<>(targets.providers().keySet());
        targets.providers().values().forEach(names::addAll);
        names.addAll(List.of("priority", "weighted", "auto", "user", "function", "json_object"));
        return NODES.textNode(pick(random, names));
    }
}
