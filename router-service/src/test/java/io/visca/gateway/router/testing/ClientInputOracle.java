package io.visca.gateway.router.testing;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visca.gateway.router.testing.HostileBodies.Op;

/**
 * What the router must answer to a client body, stated apart from the router's code: never a 5xx, never an exception's
 * class name; a 4xx in OpenAI's error shape, which it must be when the body breaks a rule below (not JSON, a missing
 * model or prompt, a parameter of the wrong JSON type, a bad {@code routing} object); else a 200 with a well-formed
 * answer (a chat completion, a text completion, embeddings, or an SSE stream ending in {@code [DONE]}).
 */
public final class ClientInputOracle {

    /** As the router parses bodies: a plain mapper, with Jackson's default limits, nothing after the object. */
    private static final ObjectMapper ROUTER_VIEW = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /**
     * A Java exception or error: its name ({@code NullPointerException}, {@code java.lang.StackOverflowError}) or a
     * stack frame. Linear in the text (answers may quote 50,000 characters of the client's input).
     */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "Exception|NullPointer|Throwable|\\b[A-Z][a-z]++[A-Z][A-Za-z]*?Error\\b|\\bat [a-z][a-z0-9_]*+\\.[a-z]");
    /** A library's internals: Jackson's feature and constraint names, its source descriptions. */
    private static final Pattern INTERNALS = Pattern
            .compile("\\b[A-Z][A-Za-z]*?(?:Feature|Constraints)\\.|\\[Source: |Feature '");
    private static final Set<String> STRATEGIES = Set.of("priority", "cost-optimized", "latency-optimized",
            "round-robin", "least-busy", "weighted");
    private static final List<String> NUMBERS = List.of("temperature", "top_p", "frequency_penalty",
            "presence_penalty");
    private static final Map<Op, List<String>> INTEGERS = Map.of(
            Op.CHAT, List.of("max_tokens", "max_completion_tokens", "n", "seed", "top_logprobs"),
            Op.COMPLETIONS, List.of("max_tokens", "n", "best_of", "seed", "logprobs"),
            Op.EMBEDDINGS, List.of("dimensions"));

    private final Set<String> providers;

    /** @param providers the provider names the registry knows (for {@code routing.providers}) */
    public ClientInputOracle(Set<String> providers) {
        this.providers = providers;
    }

    /** @return why the answer is wrong, or null when it is right */
    public String judge(HostileBodies.Body body, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String text = new String(response.body(), StandardCharsets.UTF_8);
        String leak = leak(text);
        if (leak != null) {
            return "the answer (HTTP " + status + ") " + leak + ": " + abbreviate(text);
        }
        if (status >= 500) {
            return "HTTP " + status + " for a client body: " + abbreviate(text);
        }
        String contentType = response.headers().firstValue("content-type").orElse("");
        if (status >= 400) {
            return contentType.startsWith("application/json") ? errorShape(text)
                    : "HTTP " + status + " answered as " + contentType + ": " + abbreviate(text);
        }
        String mustReject = mustReject(body.op(), body.bytes());
        if (mustReject != null) {
            return "HTTP " + status + " for a body that breaks a rule (" + mustReject + "): " + abbreviate(text);
        }
        if (status != 200) {
            return "HTTP " + status + ": " + abbreviate(text);
        }
        JsonNode sent = parse(body.bytes());
        boolean stream = body.op() != Op.EMBEDDINGS && sent.path("stream").asBoolean(false);
        return stream ? stream(contentType, text) : answer(body.op(), contentType, text);
    }

    /** @return what of the gateway's insides a text shows (an exception, a library's internals), or null */
    public static String leak(String text) {
        return CLASS_NAME.matcher(text).find() ? "names an exception"
                : INTERNALS.matcher(text).find() ? "names a library's internals" : null;
    }

    /** @return the rule a body breaks (the parameter), or null when the router should take it */
    public String mustReject(Op op, byte[] bytes) {
        JsonNode body = parse(bytes);
        if (body == null || !body.isObject()) {
            return "not a JSON object";
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            return "model";
        }
        if (!nullOr(body.get("stream"), JsonNode::isBoolean)) {
            return "stream";
        }
        String broken = switch (op) {
            case CHAT -> messages(body.get("messages"));
            case COMPLETIONS -> tokens(body.get("prompt"), "prompt");
            case EMBEDDINGS -> tokens(body.get("input"), "input");
        };
        if (broken != null) {
            return broken;
        }
        JsonNode options = body.get("stream_options");
        if (!nullOr(options, JsonNode::isObject)) {
            return "stream_options";
        }
        if (options != null && !nullOr(options.get("include_usage"), JsonNode::isBoolean)) {
            return "stream_options.include_usage";
        }
        if (!nullOr(body.get("user"), JsonNode::isTextual)) {
            return "user";
        }
        broken = switch (op) {
            case CHAT -> chat(body);
            case COMPLETIONS -> sampling(body, op) != null ? sampling(body, op)
                    : !nullOr(body.get("echo"), JsonNode::isBoolean) ? "echo"
                            : !nullOr(body.get("suffix"), JsonNode::isTextual) ? "suffix" : null;
            case EMBEDDINGS -> !nullOr(body.get("encoding_format"), JsonNode::isTextual) ? "encoding_format"
                    : !nullOr(body.get("dimensions"), ClientInputOracle::integer) ? "dimensions" : null;
        };
        return broken != null ? broken : routing(body.get("routing"));
    }

    private static String messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            return "messages";
        }
        for (JsonNode message : messages) {
            if (!message.isObject() || !message.path("role").isTextual()) {
                return "messages[].role";
            }
            JsonNode content = message.get("content");
            if (!nullOr(content, c -> c.isTextual() || c.isArray())) {
                return "messages[].content";
            }
            for (JsonNode part : content == null || !content.isArray() ? List.<JsonNode> of() : iterable(content)) {
                if (!part.isObject() || !part.path("type").isTextual()) {
                    return "messages[].content[]";
                }
            }
            JsonNode calls = message.get("tool_calls");
            if (!nullOr(calls, JsonNode::isArray)) {
                return "messages[].tool_calls";
            }
            for (JsonNode call : calls == null || calls.isNull() ? List.<JsonNode> of() : iterable(calls)) {
                if (!call.isObject() || !nullOr(call.get("function"), JsonNode::isObject)) {
                    return "messages[].tool_calls[]";
                }
            }
        }
        return null;
    }

    private static String chat(JsonNode body) {
        String broken = sampling(body, Op.CHAT);
        if (broken != null) {
            return broken;
        }
        for (String field : List.of("parallel_tool_calls", "logprobs")) {
            if (!nullOr(body.get(field), JsonNode::isBoolean)) {
                return field;
            }
        }
        if (!nullOr(body.get("tool_choice"), c -> c.isTextual() || c.isObject())) {
            return "tool_choice";
        }
        JsonNode format = body.get("response_format");
        if (!nullOr(format, f -> f.isObject() && f.path("type").isTextual())) {
            return "response_format";
        }
        JsonNode tools = body.get("tools");
        if (!nullOr(tools, JsonNode::isArray)) {
            return "tools";
        }
        for (JsonNode tool : tools == null || tools.isNull() ? List.<JsonNode> of() : iterable(tools)) {
            if (!tool.isObject() || !nullOr(tool.get("type"), JsonNode::isTextual)
                    || !nullOr(tool.get("function"), JsonNode::isObject)) {
                return "tools[]";
            }
        }
        return null;
    }

    private static String sampling(JsonNode body, Op op) {
        for (String field : INTEGERS.get(op)) {
            if (!nullOr(body.get(field), ClientInputOracle::integer)) {
                return field;
            }
        }
        for (String field : NUMBERS) {
            if (!nullOr(body.get(field), ClientInputOracle::number)) {
                return field;
            }
        }
        JsonNode stop = body.get("stop");
        if (!nullOr(stop, s -> s.isTextual() || (s.isArray() && all(s, JsonNode::isTextual)))) {
            return "stop";
        }
        JsonNode bias = body.get("logit_bias");
        if (!nullOr(bias, b -> b.isObject() && all(b, ClientInputOracle::number))) {
            return "logit_bias";
        }
        return null;
    }

    /** A prompt or an input: a non-empty string, or a non-empty array of strings, token ids or token id arrays. */
    private static String tokens(JsonNode value, String field) {
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
            return field;
        }
        if (value.isTextual()) {
            return null;
        }
        if (!value.isArray() || value.isEmpty()) {
            return field;
        }
        return all(value, item -> item.isTextual() || integer(item) || (item.isArray() && all(item,
                ClientInputOracle::integer))) ? null : field + "[]";
    }

    private String routing(JsonNode routing) {
        if (routing == null || routing.isNull()) {
            return null;
        }
        if (!routing.isObject()) {
            return "routing";
        }
        for (Iterator<String> it = routing.fieldNames(); it.hasNext();) {
            if (!Set.of("strategy", "providers", "fallback", "weights").contains(it.next())) {
                return "routing.<unknown>";
            }
        }
        if (!nullOr(routing.get("strategy"), s -> s.isTextual() && STRATEGIES.contains(s.asText()))) {
            return "routing.strategy";
        }
        if (!nullOr(routing.get("providers"),
                p -> p.isArray() && all(p, n -> n.isTextual() && providers.contains(n.asText())))) {
            return "routing.providers";
        }
        if (!nullOr(routing.get("fallback"), JsonNode::isBoolean)) {
            return "routing.fallback";
        }
        JsonNode weights = routing.get("weights");
        if (weights != null && !weights.isNull()) {
            if (!weights.isObject()) {
                return "routing.weights";
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = weights.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode w = e.getValue();
                if (!providers.contains(e.getKey()) || !w.isIntegralNumber() || !w.canConvertToInt() || w.asInt() <= 0) {
                    return "routing.weights";
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------- answers

    private static String errorShape(String text) {
        JsonNode body = parse(text.getBytes(StandardCharsets.UTF_8));
        JsonNode error = body == null ? null : body.get("error");
        if (error == null || !error.isObject()) {
            return "a 4xx that is not {\"error\":{...}}: " + abbreviate(text);
        }
        for (String field : List.of("message", "type", "param", "code")) {
            if (!error.has(field)) {
                return "a 4xx error without '" + field + "': " + abbreviate(text);
            }
        }
        if (!error.get("message").isTextual() || error.get("message").asText().isBlank()
                || !error.get("type").isTextual()) {
            return "a 4xx error without a message or type: " + abbreviate(text);
        }
        if (!nullOr(error.get("param"), JsonNode::isTextual) || !nullOr(error.get("code"), JsonNode::isTextual)) {
            return "a 4xx error whose param or code is not a string: " + abbreviate(text);
        }
        return null;
    }

    private static String answer(Op op, String contentType, String text) {
        JsonNode body = parse(text.getBytes(StandardCharsets.UTF_8));
        if (!contentType.startsWith("application/json") || body == null || !body.isObject()) {
            return "a 200 that is not a JSON object (" + contentType + "): " + abbreviate(text);
        }
        boolean ok = switch (op) {
            case CHAT -> body.path("choices").path(0).path("message").isObject();
            case COMPLETIONS -> body.path("choices").path(0).path("text").isTextual();
            case EMBEDDINGS -> body.path("data").isArray() && !body.path("data").isEmpty()
                    && body.path("data").path(0).has("embedding");
        };
        return ok ? null : "a 200 that is no " + op + " answer: " + abbreviate(text);
    }

    /**
     * A well-formed SSE stream: {@code data:} events of JSON chunks, the last one {@code [DONE]}; or, where the
     * upstream refuses a request only inside its stream (TGI's validation errors), chunks ended by one error event of
     * {@code upstream_rejected_request}, as after any response head.
     */
    private static String stream(String contentType, String text) {
        if (!contentType.startsWith("text/event-stream")) {
            return "a streamed 200 answered as " + contentType + ": " + abbreviate(text);
        }
        if (!text.endsWith("\n\n")) {
            return "a stream that does not end with a blank line: " + abbreviate(text);
        }
        String last = null;
        boolean rejected = false;
        for (String event : text.split("\n\n")) {
            for (String line : event.split("\n")) {
                if (line.startsWith("data: ")) {
                    if ("[DONE]".equals(last) || rejected) {
                        return "a stream event after its end: " + abbreviate(event);
                    }
                    last = line.substring(6);
                    JsonNode data = "[DONE]".equals(last) ? null : parse(last.getBytes(StandardCharsets.UTF_8));
                    rejected = data != null && "upstream_rejected_request".equals(data.path("error").path("code")
                            .asText()) && "invalid_request_error".equals(data.path("error").path("type").asText());
                    if (!"[DONE]".equals(last) && !rejected && (data == null || !data.isObject() || data.has("error"))) {
                        return "a stream event that is not a chunk: " + abbreviate(event);
                    }
                } else if (!line.startsWith("event: ") && !line.startsWith(":") && !line.isEmpty()) {
                    return "a stream line that is not SSE: " + abbreviate(line);
                }
            }
        }
        return "[DONE]".equals(last) || rejected ? null
                : "a stream that does not end with [DONE]: " + abbreviate(text);
    }

    // ---------------------------------------------------------------------------------------------- JSON types

    /** A whole number within a long's range ({@code 16.0} included). */
    static boolean integer(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.canConvertToLong();
        }
        return n.isFloatingPointNumber() && Double.isFinite(n.doubleValue())
                && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 0x1p63;
    }

    static boolean number(JsonNode n) {
        return n.isNumber() && (!n.isFloatingPointNumber() || Double.isFinite(n.doubleValue()));
    }

    private static boolean nullOr(JsonNode node, java.util.function.Predicate<JsonNode> valid) {
        return node == null || node.isNull() || valid.test(node);
    }

    private static boolean all(JsonNode container, java.util.function.Predicate<JsonNode> valid) {
        for (JsonNode item : container) {
            if (!valid.test(item)) {
                return false;
            }
        }
        return true;
    }

    private static Iterable<JsonNode> iterable(JsonNode container) {
        return container;
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return ROUTER_VIEW.readTree(bytes);
        } catch (Exception e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "...(" + text.length() + " chars)" : text;
    }
}
