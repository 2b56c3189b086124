package io.visca.gateway.registry.json;

import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.visca.gateway.kit.admin.error.ApiException;

/**
 * Reads request bodies as Jackson trees, so the registry decides what a mistake means: numbers stay exact
 * ({@code BigDecimal}), duplicate keys and trailing content are errors, and a syntax error names its line and
 * column. Error messages never quote the offending token, which could be part of a secret.
 */
public final class JsonBodies {

    private static final JsonMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final Pattern QUOTED_TOKEN = Pattern.compile("token '[^']*'");

    private JsonBodies() {
    }

    /**
     * @throws ApiException 400 {@code malformed_json} saying where the body stops being JSON
     */
    public static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.malformedJson("the request body is empty; send a JSON object");
        }
        try {
            JsonNode node = READER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.malformedJson("the request body is empty; send a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.malformedJson(describe(e));
        }
    }

    /** Jackson's "(start marker at [Source: ...; line: 1, column: 1])": parser internals, not for the client. */
    private static final Pattern START_MARKER = Pattern.compile("\\s*\\(start marker at .*$");

    /** "malformed JSON at line 3, column 14: ..." without echoing any part of the body. */
    public static String describe(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String reason = e.getOriginalMessage() == null ? "invalid JSON" : e.getOriginalMessage();
        int newline = reason.indexOf('\n');
        reason = QUOTED_TOKEN.matcher(newline < 0 ? reason : reason.substring(0, newline)).replaceAll("token");
        reason = START_MARKER.matcher(reason).replaceAll("");
        if (at == null || at.getLineNr() < 0) {
            return "malformed JSON: " + reason;
        }
        return "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + reason;
    }
}
