package io.visca.gateway.registry.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed, violation-collecting access to the fields of one JSON object at a path such as {@code endpoints[1]}. A
 * JSON {@code null} counts as absent, so a document read back from the API (which writes nulls) is accepted as
 * written. Fields outside the allowed set are reported, with a suggestion when one is close (typos).
 */
public final class JsonFields {

    private final JsonNode node;
    private final String path;
    private final Violations violations;

    private JsonFields(JsonNode node, String path, Violations violations) {
        this.node = node;
        this.path = path;
        this.violations = violations;
    }

    /**
     * @return the fields of {@code node}, or null (after adding a violation) when it is not an object
     */
    public static JsonFields of(JsonNode node, String path, Violations violations, Collection<String> allowed) {
        if (node == null || !node.isObject()) {
            violations.add(path, "must be a JSON object");
            return null;
        }
        JsonFields fields = new JsonFields(node, path, violations);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                violations.add(fields.path(name), "unknown field" + Suggestions.hint(name, allowed));
            }
        }
        return fields;
    }

    public String path() {
        return path;
    }

    public String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public Violations violations() {
        return violations;
    }

    public boolean present(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    public JsonNode raw(String field) {
        return present(field) ? node.get(field) : null;
    }

    public String string(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            violations.add(path(field), "must be a string");
            return null;
        }
        return value.textValue();
    }

    /** A string that must be present and not blank. */
    public String requiredString(String field) {
        String value = string(field);
        if (value == null && !present(field)) {
            violations.add(path(field), "is required");
        } else if (value != null && value.isBlank()) {
            violations.add(path(field), "must not be blank");
            return null;
        }
        return value;
    }

    public Boolean bool(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            violations.add(path(field), "must be true or false");
            return null;
        }
        return value.booleanValue();
    }

    /** An integer in {@code [min, max]}; the message states the range and its unit. */
    public Integer integer(String field, long min, long max, String unit) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        String range = "must be an integer from " + min + " to " + max + (unit.isEmpty() ? "" : " " + unit);
        if (!value.isIntegralNumber() && !(value.isBigDecimal() && isWhole(value.decimalValue()))) {
            violations.add(path(field), range);
            return null;
        }
        BigDecimal number = value.decimalValue();
        if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
            violations.add(path(field), range);
            return null;
        }
        return number.intValueExact();
    }

    /** A price: a JSON number or a numeric string, never negative, kept exact. */
    public BigDecimal price(String field) {
        BigDecimal number = decimal(field, "must be a number (USD per 1000 tokens)");
        if (number != null && number.signum() < 0) {
            violations.add(path(field), "must not be negative (USD per 1000 tokens)");
            return null;
        }
        return number;
    }

    /**
     * A JSON number or a numeric string, kept exact; null when absent, or when it is neither (then with the violation
     * {@code notANumber}).
     */
    public BigDecimal decimal(String field, String notANumber) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.textValue().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        violations.add(path(field), notANumber);
        return null;
    }

    /** A nested object, or null when absent or not an object (then with a violation). */
    public JsonFields object(String field, Collection<String> allowed) {
        JsonNode value = raw(field);
        return value == null ? null : of(value, path(field), violations, allowed);
    }

    /** The elements of an array field, or null when absent or not an array (then with a violation). */
    public List<JsonNode> array(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            violations.add(path(field), "must be a JSON array");
            return null;
        }
        List<JsonNode> elements = new ArrayList<>(value.size());
        value.forEach(elements::add);
        return elements;
    }

    /** Reports {@code field} as not used in this context (e.g. {@code password} with bearer auth). */
    public void rejectIfPresent(String field, String why) {
        if (present(field)) {
            violations.add(path(field), why);
        }
    }

    private static boolean isWhole(BigDecimal value) {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    /** "Did you mean" for misspelt field names. */
    static final class Suggestions {

        private Suggestions() {
        }

        static String hint(String name, Collection<String> allowed) {
            String best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (String candidate : allowed) {
                int distance = distance(name.toLowerCase(), candidate);
                if (distance < bestDistance) {
                    best = candidate;
                    bestDistance = distance;
                }
            }
            if (best != null && bestDistance <= Math.max(2, name.length() / 4)) {
                return "; did you mean '" + best + "'?";
            }
            return "; expected one of: " + String.join(", ", sorted(allowed));
        }

        private static List<String> sorted(Collection<String> values) {
            List<String> list = new ArrayList<>(values);
            list.sort(null);
            return list;
        }

        private static int distance(String a, String b) {
            int[] previous = new int[b.length() + 1];
            int[] current = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                previous[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                current[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }
                int[] swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.length()];
        }
    }
}
