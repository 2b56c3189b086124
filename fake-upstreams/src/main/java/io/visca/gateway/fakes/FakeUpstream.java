package io.visca.gateway.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.vertx.core.http.HttpServerRequest;

/**
 * The base of the fake model servers: on top of {@link FakeServer}'s plumbing, what a model does, the same for every
 * provider. It answers with {@link #reply(String)} (the fake's tokenizer: one token per whitespace-separated word,
 * see {@link #words(String)}), cut by a token limit or a stop sequence; answers with a tool call instead when one is
 * set and the request offers tools; reports cached prompt tokens where the provider's usage has a field for them;
 * and can break a stream off. Each subclass speaks one provider's wire format.
 *
 * @param <S> the concrete fake, so that the setters chain
 */
public abstract class FakeUpstream<S extends FakeUpstream<S>> extends FakeServer<S> {

    private static final Pattern PIECE = Pattern.compile("\\s*\\S+");

    private volatile List<String> models;
    private volatile String reply = "Hello from the fake upstream.";
    private volatile ToolCall toolCall;
    private volatile long cachedTokens;
    private volatile int breakStreamAfter;
    private volatile long streamPacingMs;

    /** A tool call the fake model makes: the tool's name and its arguments as a JSON object text. */
    public record ToolCall(String name, String argumentsJson) {

        /** The arguments as a JSON object. */
        public JsonNode arguments() {
            try {
                return JSON.readTree(argumentsJson);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The tokens the call counts as output: the words of its name and arguments. */
        public long tokens() {
            return words(name) + words(argumentsJson);
        }
    }

    /** Why a generation stopped. */
    protected enum Finish {
        /** The reply was complete (end of turn, EOS). */
        STOP,
        /** The token limit cut it. */
        LENGTH,
        /** A stop sequence cut it. */
        STOP_SEQUENCE
    }

    /**
     * A generation: its text, the pieces it streams in (one per token, concatenating to the text), why it stopped,
     * and the stop sequence that stopped it (or null).
     */
    protected record Generation(String text, List<String> pieces, Finish finish, String stopSequence) {

        public long tokens() {
            return pieces.size();
        }
    }

    protected FakeUpstream(String... defaultModels) {
        this.models = List.of(defaultModels);
    }

    /** The models the fake serves (listed, and accepted in calls); others get the provider's "not found". */
    public S models(String... ids) {
        this.models = List.of(ids);
        return self();
    }

    /** The text the model answers with. */
    public S reply(String text) {
        this.reply = text;
        return self();
    }

    /**
     * When set, and a request offers tools, the model calls this tool instead of answering with text, in the
     * provider's own tool format (streaming too). {@code toolCall(null, null)} clears it.
     *
     * @param argumentsJson the arguments, a JSON object text
     */
    public S toolCall(String name, String argumentsJson) {
        if (name == null) {
            this.toolCall = null;
        } else {
            ToolCall call = new ToolCall(name, argumentsJson == null ? "{}" : argumentsJson);
            if (!call.arguments().isObject()) {
                throw new IllegalArgumentException("tool arguments must be a JSON object: " + argumentsJson);
            }
            this.toolCall = call;
        }
        return self();
    }

    /** Reports this many cached prompt tokens, in the provider's usage format where it has one. */
    public S cachedTokens(long n) {
        this.cachedTokens = n;
        return self();
    }

    /**
     * A stream sends this many events (SSE events, or NDJSON lines) and then the connection is closed abruptly,
     * without the stream's terminating event (50 ms after the last event is flushed). 0 or negative: off.
     */
    public S breakStreamAfter(int events) {
        this.breakStreamAfter = events;
        return self();
    }

    /**
     * A stream sends its events this many milliseconds apart (the first one too), like a model generating token by
     * token: a stream of n events takes n times as long. 0: all at once.
     */
    public S streamPacing(long millis) {
        this.streamPacingMs = millis;
        return self();
    }

    /**
     * Requires the API key the way the provider's clients send it; by default {@code Authorization: Bearer key}.
     * Null drops the requirement.
     */
    public S requireApiKey(String key) {
        return requireHeader("authorization", key == null ? null : "Bearer " + key);
    }

    /** The fake's tokenizer: one token per whitespace-separated word. */
    public static long words(String text) {
        String trimmed = text == null ? "" : text.trim();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    // ---- for subclasses ----

    protected final List<String> models() {
        return models;
    }

    protected final long cachedTokens() {
        return cachedTokens;
    }

    /** The tool call to answer with: the one set, if the request offers tools ({@code tools}, non-empty). */
    protected final ToolCall toolCallFor(JsonNode request) {
        ToolCall call = toolCall;
        return call != null && request.path("tools").isArray() && !request.path("tools").isEmpty() ? call : null;
    }

    /** Opens a stream of events on the response, with the break set by {@link #breakStreamAfter}. */
    protected final EventStream stream(HttpServerRequest req, String contentType) {
        return new EventStream(vertx(), req, contentType, breakStreamAfter, streamPacingMs);
    }

    /**
     * Generates the reply: cut before the first stop sequence found (after it, when {@code keepStop}, as TGI does),
     * then to {@code maxTokens} tokens (0 or less: no limit).
     */
    protected final Generation generate(long maxTokens, List<String> stops, boolean keepStop) {
        String text = reply;
        Finish finish = Finish.STOP;
        String stopSequence = null;
        int cut = Integer.MAX_VALUE;
        for (String stop : stops) {
            int at = stop.isEmpty() ? -1 : text.indexOf(stop);
            if (at >= 0 && at < cut) {
                cut = at;
                stopSequence = stop;
            }
        }
        if (stopSequence != null) {
            text = text.substring(0, keepStop ? cut + stopSequence.length() : cut);
            finish = Finish.STOP_SEQUENCE;
        }
        List<String> pieces = pieces(text);
        if (maxTokens > 0 && pieces.size() > maxTokens) {
            pieces = pieces.subList(0, (int) maxTokens);
            text = String.join("", pieces);
            finish = Finish.LENGTH;
            stopSequence = null;
        }
        return new Generation(text, List.copyOf(pieces), finish, stopSequence);
    }

    /** The text split into its tokens: each word with the whitespace before it (the last keeps what follows). */
    protected static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = PIECE.matcher(text);
        int end = 0;
        while (m.find()) {
            pieces.add(m.group());
            end = m.end();
        }
        if (!pieces.isEmpty() && end < text.length()) {
            pieces.set(pieces.size() - 1, pieces.get(pieces.size() - 1) + text.substring(end));
        }
        return pieces;
    }

    /** A text in fragments of at most {@code size} characters (how tool arguments stream). */
    protected static List<String> fragments(String text, int size) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += size) {
            out.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return out;
    }

    /** A string, or a list of strings, as a list (e.g. {@code stop}); anything else is empty. */
    protected static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    /**
     * The text of a message content: a string, or content blocks/parts (their {@code text}, a nested
     * {@code content}, or a tool call's {@code input}/{@code arguments}).
     */
    protected static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder out = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode part : content) {
                String piece = part.isTextual() ? part.asText()
                        : part.has("text") ? part.path("text").asText()
                                : part.has("content") ? text(part.path("content"))
                                        : part.has("input") ? part.path("input").toString() : "";
                out.append(out.length() == 0 ? "" : " ").append(piece);
            }
        }
        return out.toString();
    }

    /** A deterministic 8-dimensional embedding of a text. */
    protected static void embed(ArrayNode vector, String text) {
        int hash = text.hashCode();
        for (int d = 0; d < 8; d++) {
            vector.add(((hash >> d) & 0xff) / 255.0);
        }
    }
}
