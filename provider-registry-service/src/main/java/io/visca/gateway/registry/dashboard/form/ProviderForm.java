package io.visca.gateway.registry.dashboard.form;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderTypes;
import io.visca.gateway.registry.error.Violation;

/**
 * The add/edit provider form, translated to and from the provider document the API takes. The form only builds
 * the JSON tree: {@code ProviderDocumentParser} validates it, so the form reports exactly the API's violations, by
 * the API's field paths. On edit the tree starts from the stored (redacted) document, so fields the form does not
 * show are kept, and an empty secret field keeps the stored secret ({@code "********"} or the {@code ${NAME}}
 * reference as stored, which the service restores).
 */
public final class ProviderForm {

    public static final List<String> TYPES = ProviderTypes.ALL;
    /** Auth types as the form offers them; {@code oauth2} is the API's {@code oauth2_client_credentials}. */
    public static final List<String> AUTH_TYPES = List.of("none", "bearer", "header", "basic", "oauth2");
    public static final List<String> MODES = ModelConfig.MODES;

    static final List<String> ENDPOINT_KEYS = List.of("id", "url", "weight");
    static final List<String> MODEL_KEYS = List.of("id", "name", "upstream_model", "mode", "context_window",
            "cost_per_1k_input", "cost_per_1k_output", "cost_per_1k_cached_input");
    static final List<String> SECRET_KEYS = List.of("api_key", "password", "client_secret");
    static final List<String> SETTINGS = List.of("health_check.enabled", "health_check.endpoint",
            "health_check.interval_seconds", "health_check.timeout_seconds", "health_check.failure_threshold",
            "health_check.success_threshold", "health_check.healthy_statuses", "timeouts.connect_ms",
            "timeouts.first_byte_ms", "timeouts.total_ms", "rate_limit.requests_per_minute",
            "rate_limit.max_concurrent", "retry.max_retries", "retry.backoff_ms");
    static final List<String> TOP_KEYS;
    static {
        List<String> keys = new ArrayList<>(List.of("name", "type", "enabled", "base_url", "endpoints", "models",
                "auth_type", "api_key", "header_name", "username", "password", "token_url", "client_id",
                "client_secret", "scope", "request", "transform"));
        keys.addAll(SETTINGS);
        TOP_KEYS = List.copyOf(keys);
    }
    /** Which auth fields each auth type takes (the rest are ignored, as the page hides them). */
    static final Map<String, List<String>> AUTH_FIELDS = Map.of(
            "none", List.of(),
            "bearer", List.of("api_key"),
            "header", List.of("header_name", "api_key"),
            "basic", List.of("username", "password"),
            "oauth2", List.of("token_url", "client_id", "client_secret", "scope"));
    private static final Pattern ROW_PATH = Pattern.compile("(endpoints|models)\\[(\\d+)]\\.([a-z0-9_]+)");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{0,30}(\\.\\d{1,30})?([eE][-+]?\\d{1,3})?");
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private ProviderForm() {
    }

    /** A document built from a submitted form, the violations found before the parser ran, and the form again. */
    public record Submission(ObjectNode document, List<Violation> violations, ProviderFormView view) {
    }

    /** The empty form of a new provider. */
    public static ProviderFormView blank() {
        Map<String, String> top = new LinkedHashMap<>();
        top.put("type", "openai-compatible");
        top.put("enabled", "true");
        top.put("auth_type", "bearer");
        top.put("health_check.enabled", "true");
        return view(null, top, List.of(new LinkedHashMap<>()), List.of(new LinkedHashMap<>()), List.of(), false);
    }

    /** The form of a stored provider, from its redacted document; secret fields stay empty. */
    public static ProviderFormView fromDocument(String name, ObjectNode stored, ObjectMapper json) {
        Map<String, String> top = new LinkedHashMap<>();
        top.put("name", text(stored.get("name")));
        top.put("type", text(stored.get("type")));
        top.put("enabled", text(stored.get("enabled")));
        JsonNode auth = stored.path("auth");
        String authType = text(auth.get("auth_type"));
        top.put("auth_type", AuthConfig.OAUTH2_CLIENT_CREDENTIALS.equals(authType) ? "oauth2"
                : authType.isEmpty() ? "none" : authType);
        for (String key : List.of("header_name", "username", "token_url", "client_id", "scope")) {
            top.put(key, text(auth.get(key)));
        }
        boolean storedKey = SECRET_KEYS.stream().anyMatch(key -> !text(auth.get(key)).isEmpty());
        for (String key : SETTINGS) {
            int dot = key.indexOf('.');
            JsonNode value = stored.path(key.substring(0, dot)).get(key.substring(dot + 1));
            if (value != null && value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(text(item)));
                top.put(key, String.join(", ", items));
            } else {
                top.put(key, text(value));
            }
        }
        for (String key : List.of("request", "transform")) {
            JsonNode value = stored.get(key);
            top.put(key, value == null || value.isNull() ? "" : pretty(json, value));
        }
        List<Map<String, String>> endpoints = rows(stored.path("endpoints"), e -> Map.of("id", text(e.get("id")),
                "url", text(e.get("base_url")), "weight", text(e.get("weight"))));
        List<Map<String, String>> models = rows(stored.path("models"), m -> {
            Map<String, String> row = new LinkedHashMap<>();
            MODEL_KEYS.forEach(key -> row.put(key, text(m.get(key))));
            return row;
        });
        return view(name, top, endpoints, models, List.of(), storedKey);
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

    /** The same form with the violations beside their fields. */
    public static ProviderFormView withViolations(ProviderFormView form, List<Violation> violations) {
        Map<String, List<Violation>> topErrors = new LinkedHashMap<>();
        List<Map<String, List<Violation>>> endpointErrors = new ArrayList<>();
        form.endpoints().forEach(row -> endpointErrors.add(new LinkedHashMap<>()));
        List<Map<String, List<Violation>>> modelErrors = new ArrayList<>();
        form.models().forEach(row -> modelErrors.add(new LinkedHashMap<>()));
        for (Violation violation : violations) {
            String field = violation.field() == null ? "" : violation.field();
            Matcher row = ROW_PATH.matcher(field);
            if (row.lookingAt()) {
                boolean endpoint = row.group(1).equals("endpoints");
                int index = Integer.parseInt(row.group(2));
                String key = endpoint && row.group(3).equals("base_url") ? "url" : row.group(3);
                List<Map<String, List<Violation>>> target = endpoint ? endpointErrors : modelErrors;
                if (index < target.size() && (endpoint ? ENDPOINT_KEYS : MODEL_KEYS).contains(key)) {
                    target.get(index).computeIfAbsent(key, k -> new ArrayList<>()).add(violation);
                    continue;
                }
            }
            topErrors.computeIfAbsent(topKey(field), k -> new ArrayList<>()).add(violation);
        }
        List<FormRow> endpoints = new ArrayList<>();
        for (int i = 0; i < form.endpoints().size(); i++) {
            endpoints.add(new FormRow("endpoints", i, form.endpoints().get(i).values(), endpointErrors.get(i)));
        }
        List<FormRow> models = new ArrayList<>();
        for (int i = 0; i < form.models().size(); i++) {
            models.add(new FormRow("models", i, form.models().get(i).values(), modelErrors.get(i)));
        }
        return new ProviderFormView(form.name(), form.jsonMode(), new FormRow(null, 0, form.top().values(), topErrors),
                endpoints, models, form.json(), List.copyOf(violations), form.storedKey());
    }

    /** The JSON mode of the page, with a document and its violations. */
    public static ProviderFormView json(String name, String document, List<Violation> violations) {
        return new ProviderFormView(name, true, new FormRow(null, 0, Map.of(), Map.of()), List.of(), List.of(),
                document, List.copyOf(violations), false);
    }

    /** The top-level form key a violation of the API belongs beside; "" when none. */
    static String topKey(String field) {
        String path = field.replaceAll("\\[\\d+]$", "");
        if (path.startsWith("auth.")) {
            String key = path.substring(5);
            return key.equals("auth_type") || TOP_KEYS.contains(key) ? key : "auth_type";
        }
        if (path.startsWith("request") || path.startsWith("transform")) {
            return path.startsWith("request") ? "request" : "transform";
        }
        if (path.equals("auth")) {
            return "auth_type";
        }
        if (path.startsWith("endpoints")) {
            return "endpoints";
        }
        if (path.startsWith("models")) {
            return "models";
        }
        if (TOP_KEYS.contains(path)) {
            return path;
        }
        int dot = path.indexOf('.');
        if (dot > 0 && TOP_KEYS.stream().anyMatch(key -> key.startsWith(path.substring(0, dot + 1)))) {
            return TOP_KEYS.contains(path) ? path : "";
        }
        return "";
    }

    public static String pretty(ObjectMapper json, JsonNode node) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** A copy of a tree without its null fields (the API's documents write absent settings as null). */
    public static ObjectNode withoutNulls(ObjectNode node) {
        ObjectNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isNull()) {
                    it.remove();
                } else {
                    strip(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(ProviderForm::strip);
        }
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
    private static JsonNode number(String raw) {
        String value = raw.trim();
        if (INTEGER.matcher(value).matches()) {
            return NODES.numberNode(Long.parseLong(value));
        }
        if (!value.isEmpty() && !value.equals("-") && DECIMAL.matcher(value).matches()) {
            try {
                return NODES.numberNode(new java.math.BigDecimal(value));
            } catch (NumberFormatException e) {
                return NODES.textNode(value);
            }
        }
        return NODES.textNode(value);
    }

    private static ProviderFormView view(String name, Map<String, String> top, List<Map<String, String>> endpoints,
            List<Map<String, String>> models, List<Violation> violations, boolean storedKey) {
        List<FormRow> endpointRows = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            endpointRows.add(new FormRow("endpoints", i, endpoints.get(i), Map.of()));
        }
        List<FormRow> modelRows = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            modelRows.add(new FormRow("models", i, models.get(i), Map.of()));
        }
        return new ProviderFormView(name, false, new FormRow(null, 0, top, Map.of()), endpointRows, modelRows, null,
                violations, storedKey);
    }

    private static List<Map<String, String>> rows(JsonNode array, Function<JsonNode, Map<String, String>> row) {
        List<Map<String, String>> rows = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(element -> rows.add(new LinkedHashMap<>(row.apply(element))));
        }
        return rows;
    }

    /** The non-blank rows {@code prefix[i].key} of a form, in index order, renumbered from 0. */
    private static List<Map<String, String>> rowsOf(Map<String, List<String>> form, String prefix, List<String> keys) {
        Pattern pattern = Pattern.compile(Pattern.quote(prefix) + "\\[(\\d{1,3})]\\.([a-z0-9_]+)");
        java.util.TreeMap<Integer, Map<String, String>> byIndex = new java.util.TreeMap<>();
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

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        if (node.isBigDecimal() || node.isDouble() || node.isFloat()) {
            return node.decimalValue().stripTrailingZeros().toPlainString();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
