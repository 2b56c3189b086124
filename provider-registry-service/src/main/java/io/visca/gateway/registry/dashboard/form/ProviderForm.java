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
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.kit.admin.error.Violation;
import io.visca.gateway.providers.KnownProviderTypes;

/**
 * The add/edit provider form from the provider document the API takes, and its violations beside their fields
 * (the other direction, a submitted form to a document, is {@link FormSubmission}). {@code ProviderDocumentParser}
 * validates what the form builds, so the form reports exactly the API's violations, by the API's field paths. Secret
 * fields are never filled in: an empty one keeps the stored secret ({@code "********"} or the {@code ${NAME}}
 * reference as stored, which the service restores).
 */
public final class ProviderForm {

    public static final List<String> TYPES = KnownProviderTypes.names();
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

    private ProviderForm() {
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

    static ProviderFormView view(String name, Map<String, String> top, List<Map<String, String>> endpoints,
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

    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        if (node.isBigDecimal() || node.isDouble() || node.isFloat()) {
            return node.decimalValue().stripTrailingZeros().toPlainString();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
