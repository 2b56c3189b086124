package io.visca.gateway.registry.policy.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The {@code jsonb} columns of keys and teams ({@code models}: an array of ids, {@code metadata}: an object of
 * strings) as the JSON text the entities hold; null for none.
 */
public final class JsonColumns {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {
    };

    private JsonColumns() {
    }

    public static String ofList(List<String> values) {
        return values == null ? null : write(values);
    }

    public static List<String> list(String column) {
        return column == null ? null : List.copyOf(read(column, LIST));
    }

    /** An empty map is stored as null. */
    public static String ofMap(Map<String, String> values) {
        return values == null || values.isEmpty() ? null : write(values);
    }

    /** The stored map, empty when there is none. */
    public static Map<String, String> map(String column) {
        return column == null ? Map.of() : java.util.Collections.unmodifiableMap(read(column, MAP));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a policy column cannot be written as JSON", e);
        }
    }

    private static <T> T read(String column, TypeReference<T> type) {
        try {
            return JSON.readValue(column, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored policy column is not the JSON it should be", e);
        }
    }
}
