package io.visca.gateway.router.adapter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.buffer.Buffer;

/** The hot path's JSON: one plain mapper for trees, reading straight from Vert.x buffers. */
public final class Json {

    /**
     * Reads as Jackson does by default (nesting up to 1000 levels per parse). Writes twice as deep: an adapter places
     * JSON it parsed from a string of the request (tool call arguments) inside the body it builds, a few levels deeper
     * than either was read, and a tree the router built from what it read must always serialize.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(2000).build()).build());
    /** Its deserializer is looked up once, not per read. */
    private static final ObjectReader TREE = MAPPER.readerFor(JsonNode.class);
    /** For client bodies: one JSON value and nothing after it (the bytes may go upstream unchanged). */
    private static final ObjectReader WHOLE_TREE = TREE.with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** @throws IOException when {@code buffer} is not JSON */
    public static JsonNode read(Buffer buffer) throws IOException {
        try (ByteBufInputStream in = new ByteBufInputStream(buffer.getByteBuf())) {
            JsonNode node = TREE.readValue((java.io.InputStream) in);
            return node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
        }
    }

    /** As {@link #read(Buffer)}, failing when anything but white space follows the value. */
    public static JsonNode readWhole(Buffer buffer) throws IOException {
        try (ByteBufInputStream in = new ByteBufInputStream(buffer.getByteBuf())) {
            JsonNode node = WHOLE_TREE.readValue((java.io.InputStream) in);
            return node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
        }
    }

    public static JsonNode read(String text) throws JsonProcessingException {
        JsonNode node = TREE.readValue(text);
        return node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
    }

    public static Buffer write(JsonNode node) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** Reads an upstream body, failing the call with a clear 502 when it is not JSON. */
    public static JsonNode readUpstream(UpstreamCall call, Buffer body) {
        try {
            JsonNode node = read(body);
            if (node == null || node.isMissingNode()) {
                throw UpstreamErrors.malformed(call, "an empty body");
            }
            return node;
        } catch (IOException e) {
            throw UpstreamErrors.malformed(call, "the body is not JSON");
        }
    }

    /**
     * OpenAI tool call arguments (a JSON string) as the object they encode: an empty object when blank, null when
     * they are not a JSON object (the adapter says why to the client).
     */
    public static JsonNode toolArguments(String arguments) {
        JsonNode parsed;
        try {
            parsed = arguments.isBlank() ? object() : read(arguments);
        } catch (Exception e) {
            return null;
        }
        return parsed != null && parsed.isObject() ? parsed : null;
    }

    /**
     * One top-level field of a JSON object, read by streaming over the others (they are skipped, not built into a
     * tree), while still checking the whole body is JSON.
     *
     * @return the field's value, or a missing node
     * @throws GatewayError 502 when the body is not a JSON object
     */
    public static JsonNode topLevelField(UpstreamCall call, Buffer body, String field) {
        JsonNode found = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        try (ByteBufInputStream in = new ByteBufInputStream(body.getByteBuf());
                JsonParser parser = MAPPER.getFactory().createParser((java.io.InputStream) in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw UpstreamErrors.malformed(call, "the body is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (field.equals(name)) {
                    found = TREE.readValue(parser);
                } else {
                    parser.skipChildren();
                }
            }
            return found;
        } catch (IOException e) {
            throw UpstreamErrors.malformed(call, "the body is not JSON");
        }
    }

    /** The text of OpenAI message content: a string, or the text parts of a parts array. */
    public static String text(JsonNode content) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder out = new StringBuilder();
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText()) || part.has("text")) {
                    if (out.length() > 0) {
                        out.append('\n');
                    }
                    out.append(part.path("text").asText(""));
                }
            }
            return out.toString();
        }
        return content.toString();
    }

    /** A string or an array of strings (OpenAI's {@code stop}), as the list of its non-empty strings. */
    public static List<String> strings(JsonNode node) {
        List<String> strings = new ArrayList<>(4);
        if (node.isTextual() && !node.asText().isEmpty()) {
            strings.add(node.asText());
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (item.isTextual() && !item.asText().isEmpty()) {
                    strings.add(item.asText());
                }
            }
        }
        return strings;
    }
}
