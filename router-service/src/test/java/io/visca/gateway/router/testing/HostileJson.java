package io.visca.gateway.router.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;

/**
 * JSON values a client should not send where a parameter is expected, drawn from a seeded {@link Random} (the same
 * seed gives the same values): each JSON type, numbers beyond a long or a double ({@code 1e400}, written as typed),
 * strings of control characters, lone surrogates, bidi overrides and emoji, empty and deeply nested containers,
 * look-alikes of valid values, and random JSON. Also bytes that are not a JSON object at all.
 */
public final class HostileJson {

    /** Writes what the router's parser refuses too (nesting deeper than it reads). */
    public static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(100_000).build()).build());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final List<String> STRINGS = List.of("", " ", "x", "null", "true", "16", "0.5", "-1", "auto",
            "none", "required", "function", "text", "image_url", "file", "user", "assistant", "system", "tool",
            "json_object", "json_schema", "priority", "data:", "data:image/png;base64,", "data:text/plain,hi",
            "data:image/png;base64", "http://", "https://example.com/cat.png", "file:///etc/passwd", "{\"a\":1}", "{",
            "[1,2]", "\u0000", "\uFEFF", "\uD800", "\uDC00x", "\u202Eevil\u202C", "h\u00e9llo w\u00f6rld \u2603",
            "\uD83E\uDD8A fox", "\u65e5\u672c\u8a9e", "\n\r\t", "\"quoted\"", "\\", "</script>", "%s%n",
            "'; DROP TABLE keys; --", "${GATEWAY_SERVICE_TOKEN}");

    private HostileJson() {
    }

    /** One hostile value for any parameter. */
    public static JsonNode value(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> scalar(random);
            case 1 -> number(random);
            case 2, 3 -> text(random);
            case 4 -> array(random);
            case 5 -> object(random);
            case 6 -> deep(random, 2 + random.nextInt(40));
            case 7 -> any(random, 3);
            default -> random.nextInt(4) == 0 ? deep(random, 990 + random.nextInt(15)) : bigText(random);
        };
    }

    /**
     * A hostile value for the field {@code name}, now {@code current} (null when absent): for strings that hold JSON
     * or URLs (tool call arguments, image URLs, file data), often such a string gone wrong; sometimes a value of the
     * type it has (which type checks let through); else {@link #value(Random)}.
     */
    public static JsonNode valueFor(String name, JsonNode current, Random random) {
        if (current != null && current.isTextual() && random.nextBoolean()) {
            switch (name) {
                case "arguments" -> {
                    return NODES.textNode(switch (random.nextInt(6)) {
                        case 0 -> "";
                        case 1 -> "[1,2]";
                        case 2 -> "{\"city\":";
                        case 3 -> "null";
                        // JSON nested as deep as a parser takes: the adapters that parse arguments nest it further
                        default -> nestedText(994 + random.nextInt(7));
                    });
                }
                case "url", "file_data" -> {
                    return NODES.textNode(switch (random.nextInt(5)) {
                        case 0 -> "data:image/png,abc";
                        case 1 -> "data:;base64,";
                        case 2 -> "data:image/png;base64," + "A".repeat(random.nextInt(3));
                        case 3 -> "ftp://example.com/cat.png";
                        default -> "https://";
                    });
                }
                default -> {
                }
            }
        }
        return current != null && random.nextInt(3) == 0 ? sameType(current, random) : value(random);
    }

    /** A hostile value of the type {@code current} has, which type checks let through to the adapters. */
    static JsonNode sameType(JsonNode current, Random random) {
        return switch (current.getNodeType()) {
            case STRING -> random.nextInt(4) == 0 ? bigText(random) : text(random);
            case NUMBER -> number(random);
            case BOOLEAN -> NODES.booleanNode(random.nextBoolean());
            case ARRAY -> array(random);
            case OBJECT -> random.nextBoolean() ? object(random) : deep(random, 2 + random.nextInt(40));
            default -> value(random);
        };
    }

    static JsonNode scalar(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(true);
            case 2 -> NODES.booleanNode(false);
            default -> NODES.numberNode(random.nextInt(5) - 1);
        };
    }

    static JsonNode number(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> NODES.numberNode(Long.MAX_VALUE);
            case 1 -> NODES.numberNode(Long.MIN_VALUE);
            case 2 -> NODES.numberNode(BigInteger.TEN.pow(40).negate());
            case 3 -> NODES.numberNode(1e308);
            case 4 -> NODES.numberNode(-0.5);
            case 5 -> NODES.numberNode(16.0);
            case 6 -> raw("1e400");
            case 7 -> raw("-1e-400");
            case 8 -> raw("-0");
            case 9 -> raw("123456789012345678901234567890.123456789e-5");
            case 10 -> raw("9".repeat(900));
            default -> NODES.numberNode(random.nextGaussian() * 1e6);
        };
    }

    static JsonNode text(Random random) {
        if (random.nextInt(3) == 0) {
            StringBuilder out = new StringBuilder();
            int length = random.nextInt(24);
            for (int i = 0; i < length; i++) {
                // any code unit: letters, controls, lone surrogates, private use
                out.append((char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000)));
            }
            return NODES.textNode(out.toString());
        }
        return NODES.textNode(STRINGS.get(random.nextInt(STRINGS.size())));
    }

    static JsonNode bigText(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> NODES.textNode("a".repeat(50_000));
            // a JSON object nested almost as deep as a parser takes, inside a string (tool call arguments are parsed)
            case 1 -> NODES.textNode(nestedText(995));
            default -> NODES.textNode("[".repeat(2000));
        };
    }

    /** The text of a JSON object nested {@code depth} levels. */
    static String nestedText(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    static JsonNode array(Random random) {
        ArrayNode out = NODES.arrayNode();
        switch (random.nextInt(9)) {
            case 0 -> {
            }
            case 1 -> out.addNull();
            case 2 -> out.add(1).add("a").addObject();
            case 3 -> out.add("a").add("b");
            case 4 -> out.add(1).add(2).add(3);
            case 5 -> out.addArray().add(1).add(2);
            case 6 -> out.addObject().put("type", "text").put("text", "x");
            case 7 -> out.addObject().put("type", 5);
            default -> {
                for (int i = 0; i < 5000; i++) {
                    out.add(0);
                }
            }
        }
        return out;
    }

    static JsonNode object(Random random) {
        ObjectNode out = NODES.objectNode();
        switch (random.nextInt(11)) {
            case 0 -> {
            }
            case 1 -> out.putNull("");
            case 2 -> out.put("type", "function");
            case 3 -> out.putObject("type");
            case 4 -> out.put("function", "x");
            case 5 -> out.put("name", 1);
            case 6 -> out.put("include_usage", "yes");
            case 7 -> out.putObject("text");
            case 8 -> out.put("url", 5);
            case 9 -> out.put("type", "json_schema").putArray("json_schema");
            default -> out.set("\u0000\uD800", any(random, 2));
        }
        return out;
    }

    /** Arrays and objects nested {@code depth} levels. */
    static JsonNode deep(Random random, int depth) {
        boolean arrays = random.nextBoolean();
        JsonNode node = NODES.numberNode(1);
        for (int i = 0; i < depth; i++) {
            node = arrays ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
        }
        return node;
    }

    /** Random JSON up to {@code depth} levels. */
    public static JsonNode any(Random random, int depth) {
        int kind = depth <= 0 ? random.nextInt(3) : random.nextInt(5);
        return switch (kind) {
            case 0 -> scalar(random);
            case 1 -> number(random);
            case 2 -> text(random);
            case 3 -> {
                ArrayNode out = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    out.add(any(random, depth - 1));
                }
                yield out;
            }
            default -> {
                ObjectNode out = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    out.set(random.nextBoolean() ? text(random).asText() : KEYS.get(random.nextInt(KEYS.size())),
                            any(random, depth - 1));
                }
                yield out;
            }
        };
    }

    private static final List<String> KEYS = List.of("model", "messages", "role", "content", "type", "text",
            "stream", "stream_options", "routing", "tools", "function", "prompt", "input", "max_tokens", "n");

    /** Bytes that are not one JSON object: garbage, broken JSON, other encodings, other JSON values. */
    public static byte[] notAnObject(Random random, Function<Random, JsonNode> validBody) {
        String valid = validBody.apply(random).toString();
        return switch (random.nextInt(12)) {
            case 0 -> new byte[0];
            case 1 -> {
                byte[] bytes = new byte[1 + random.nextInt(300)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 2 -> utf8(valid.substring(0, random.nextInt(valid.length())));
            case 3 -> utf8(valid + " garbage");
            case 4 -> utf8(valid + valid);
            case 5 -> valid.getBytes(StandardCharsets.UTF_16);
            case 6 -> utf8("\uFEFF" + valid);
            case 7 -> utf8(valid.replace("\"", "'"));
            case 8 -> utf8("/* comment */" + valid);
            case 9 -> utf8(any(random, 3).toString());
            case 10 -> {
                // invalid UTF-8 inside a string
                byte[] bytes = utf8(valid.replaceFirst("\"model\"", "\"mod\u0001el\""));
                bytes[bytes.length / 2] = (byte) 0xC3;
                yield bytes;
            }
            default -> utf8("{\"model\": NaN, \"messages\": [], }");
        };
    }

    /** A number written exactly as given (beyond what a long or a double holds). */
    static JsonNode raw(String number) {
        return new POJONode(new RawValue(number));
    }

    public static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
