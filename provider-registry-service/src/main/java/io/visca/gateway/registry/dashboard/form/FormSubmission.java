package io.visca.gateway.registry.dashboard.form;

import static io.visca.gateway.registry.dashboard.form.ProviderForm.AUTH_FIELDS;
import static io.visca.gateway.registry.dashboard.form.ProviderForm.ENDPOINT_KEYS;
import static io.visca.gateway.registry.dashboard.form.ProviderForm.MODEL_KEYS;
import static io.visca.gateway.registry.dashboard.form.ProviderForm.SECRET_KEYS;
import static io.visca.gateway.registry.dashboard.form.ProviderForm.TOP_KEYS;
import static io.visca.gateway.registry.dashboard.form.ProviderForm.text;
import static io.visca.gateway.registry.dashboard.form.ProviderForm.view;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.kit.admin.error.Violation;

/**
 * A submitted add/edit form turned into the provider document the API takes (the other direction, document to
 * form, is {@link ProviderForm}). It only builds the JSON tree: {@code ProviderDocumentParser} validates it. On edit
 * the tree starts from the stored (redacted) document, so fields the form does not show are kept, and an empty
 * secret field keeps the stored secret.
 */
public final class FormSubmission {

    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{0,30}(\\.\\d{1,30})?([eE][-+]?\\d{1,3})?");
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private FormSubmission() {
    }

    /** A document built from a submitted form, the violations found before the parser ran, and the form again. */
    public record Submission(ObjectNode document, List<Violation> violations, ProviderFormView view) {
    }

    /**
     * Builds the provider document from a submitted form.
     *
     * @param stored the stored redacted document when editing (its fields the form does not show are kept), or null
     * @param name the provider's name when editing (the form cannot rename), or null
     */
    public static Submission fromForm(Map<String, List<String>> form, ObjectNode stored, String name,
            ObjectMapper json) {
        List<Violation> violations = new ArrayList<>();
        Map<String, String> top = new LinkedHashMap<>();
        for (String key : TOP_KEYS) {
            top.put(key, first(form, key));
        }
        top.put("enabled", Boolean.toString(checkbox(form, "enabled")));
        top.put("health_check.enabled", Boolean.toString(checkbox(form, "health_check.enabled")));
        if (name != null) {
            top.put("name", name);
        }
        List<Map<String, String>> endpoints = rowsOf(form, "endpoints", ENDPOINT_KEYS);
        List<Map<String, String>> models = rowsOf(form, "models", MODEL_KEYS);

        ObjectNode doc = stored == null ? NODES.objectNode() : stored.deepCopy();
        putText(doc, "name", top.get("name"));
        putText(doc, "type", top.get("type"));
        doc.put("enabled", Boolean.parseBoolean(top.get("enabled")));

        doc.remove("base_url");
        doc.remove("endpoints");
        if (!top.get("base_url").isBlank()) {
            doc.put("base_url", top.get("base_url").trim());
        }
        if (!endpoints.isEmpty()) {
            ArrayNode array = doc.putArray("endpoints");
            for (Map<String, String> row : endpoints) {
                ObjectNode endpoint = array.addObject();
                putText(endpoint, "id", row.get("id"));
                putText(endpoint, "base_url", row.get("url"));
                putNumber(endpoint, "weight", row.get("weight"));
            }
        }

        doc.remove("api_key");
        doc.set("auth", auth(top, stored == null ? null : stored.get("auth")));

        ArrayNode modelArray = doc.putArray("models");
        for (Map<String, String> row : models) {
            ObjectNode model = modelArray.addObject();
            for (String key : MODEL_KEYS) {
                if (key.equals("id") || key.equals("name") || key.equals("upstream_model") || key.equals("mode")) {
                    putText(model, key, row.get(key));
                } else {
                    putNumber(model, key, row.get(key));
                }
            }
        }

        ObjectNode health = object(doc, "health_check");
        health.put("enabled", Boolean.parseBoolean(top.get("health_check.enabled")));
        putText(health, "endpoint", top.get("health_check.endpoint"));
        for (String key : List.of("interval_seconds", "timeout_seconds", "failure_threshold", "success_threshold")) {
            putNumber(health, key, top.get("health_check." + key));
        }
        health.remove("healthy_statuses");
        String statuses = top.get("health_check.healthy_statuses");
        if (!statuses.isBlank()) {
            ArrayNode array = health.putArray("healthy_statuses");
            for (String status : statuses.split("[,\\s]+")) {
                if (!status.isEmpty()) {
                    array.add(number(status));
                }
            }
        }
        settings(doc, "timeouts", top, List.of("connect_ms", "first_byte_ms", "total_ms"));
        settings(doc, "rate_limit", top, List.of("requests_per_minute", "max_concurrent"));
        settings(doc, "retry", top, List.of("max_retries", "backoff_ms"));

        for (String key : List.of("request", "transform")) {
            doc.remove(key);
            String text = top.get(key);
            if (!text.isBlank()) {
                try {
                    doc.set(key, json.readTree(text));
                } catch (JsonProcessingException e) {
                    violations.add(new Violation(key, "is not valid JSON (line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr() + ")"));
                }
            }
        }
        boolean storedKey = stored != null && SECRET_KEYS.stream()
                .anyMatch(key -> !text(stored.path("auth").get(key)).isEmpty());
        for (String key : SECRET_KEYS) {
            top.put(key, ""); // a secret typed in is never sent back to the browser
        }
        return new Submission(doc, violations, view(name, top, endpoints, models, List.of(), storedKey));
    }

    private static ObjectNode auth(Map<String, String> top, JsonNode storedAuth) {
        ObjectNode auth = NODES.objectNode();
        String type = top.get("auth_type").isBlank() ? "none" : top.get("auth_type").trim();
        List<String> fields = AUTH_FIELDS.get(type);
        auth.put("auth_type", type.equals("oauth2") ? AuthConfig.OAUTH2_CLIENT_CREDENTIALS : type);
        if (fields == null) {
            return auth; // the parser reports the unknown auth_type
        }
        for (String key : fields) {
            String value = top.get(key);
            if (SECRET_KEYS.contains(key) && value.isEmpty() && storedAuth != null
                    && !text(storedAuth.get(key)).isEmpty()) {
                auth.put(key, text(storedAuth.get(key))); // empty: keep the stored secret
            } else {
                putText(auth, key, value);
            }
        }
        return auth;
    }

    private static void settings(ObjectNode doc, String group, Map<String, String> top, List<String> keys) {
        ObjectNode object = object(doc, group);
        for (String key : keys) {
            putNumber(object, key, top.get(group + "." + key));
        }
        if (object.isEmpty()) {
            doc.remove(group);
        }
    }

    private static ObjectNode object(ObjectNode doc, String field) {
        JsonNode existing = doc.get(field);
        return existing instanceof ObjectNode object ? object : doc.putObject(field);
    }

    private static void putText(ObjectNode node, String field, String value) {
        if (value == null || value.isBlank()) {
            node.remove(field);
        } else {
            node.put(field, value.trim());
        }
    }

    private static void putNumber(ObjectNode node, String field, String value) {
        if (value == null || value.isBlank()) {
            node.remove(field);
        } else {
            node.set(field, number(value));
        }
    }

    /** A number when the text is one (the parser checks type and range), else the text for the parser to reject. */
    static JsonNode number(String raw) {
        String value = raw.trim();
        if (INTEGER.matcher(value).matches()) {
            return NODES.numberNode(Long.parseLong(value));
        }
        if (!value.isEmpty() && !value.equals("-") && DECIMAL.matcher(value).matches()) {
            try {
                return NODES.numberNode(new BigDecimal(value));
            } catch (NumberFormatException e) {
                return NODES.textNode(value);
            }
        }
        return NODES.textNode(value);
    }

    /** The non-blank rows {@code prefix[i].key} of a form, in index order, renumbered from 0. */
    private static List<Map<String, String>> rowsOf(Map<String, List<String>> form, String prefix, List<String> keys) {
        Pattern pattern = Pattern.compile(Pattern.quote(prefix) + "\\[(\\d{1,3})]\\.([a-z0-9_]+)");
        TreeMap<Integer, Map<String, String>> byIndex = new TreeMap<>();
        for (Map.Entry<String, List<String>> entry : form.entrySet()) {
            Matcher matcher = pattern.matcher(entry.getKey());
            if (matcher.matches() && keys.contains(matcher.group(2)) && !entry.getValue().isEmpty()) {
                byIndex.computeIfAbsent(Integer.parseInt(matcher.group(1)), i -> new LinkedHashMap<>())
                        .put(matcher.group(2), entry.getValue().get(0) == null ? "" : entry.getValue().get(0));
            }
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map<String, String> row : byIndex.values()) {
            if (row.values().stream().anyMatch(value -> !value.isBlank() && !isDefaultOnly(row))) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** A row whose only value is a weight or mode left at its default counts as blank. */
    private static boolean isDefaultOnly(Map<String, String> row) {
        return row.entrySet().stream().allMatch(e -> e.getValue().isBlank()
                || (e.getKey().equals("weight") && e.getValue().trim().equals("1"))
                || (e.getKey().equals("mode") && e.getValue().isBlank()));
    }

    private static String first(Map<String, List<String>> form, String key) {
        List<String> values = form.get(key);
        return values == null || values.isEmpty() || values.get(0) == null ? "" : values.get(0);
    }

    private static boolean checkbox(Map<String, List<String>> form, String key) {
        List<String> values = form.get(key);
        return values != null && values.stream().anyMatch(v -> "true".equals(v) || "on".equals(v));
    }
}
