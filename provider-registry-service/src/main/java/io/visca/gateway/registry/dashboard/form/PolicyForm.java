package io.visca.gateway.registry.dashboard.form;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.kit.admin.error.Violation;
import io.visca.gateway.registry.apikey.mapping.ApiKeyView;
import io.visca.gateway.registry.team.mapping.TeamView;

/**
 * The key and team forms (name, team, models, expiry, budget and its period, rates, metadata) turned into the JSON
 * body the API takes, and stored keys and teams turned into the form. It only builds the body: {@code KeyPatch} and
 * {@code TeamPatch} validate it, so the dashboard stores what the API would and shows the API's violations beside
 * their fields. On create a blank field is left out; on edit it clears the field (a JSON merge patch of every field
 * the form shows, so an unchanged form changes nothing).
 */
public final class PolicyForm {

    /** The fields of the key form, by the API's names. */
    public static final List<String> KEY_FIELDS = List.of("name", "team", "models", "expires_at", "max_budget_usd",
            "budget_period", "requests_per_minute", "tokens_per_minute", "metadata");
    /** The fields of the team form. */
    public static final List<String> TEAM_FIELDS = List.of("name", "max_budget_usd", "budget_period",
            "requests_per_minute", "tokens_per_minute", "metadata");
    /** The rotation form's one field. */
    public static final String GRACE = "grace_seconds";
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private PolicyForm() {
    }

    /** The JSON body of a submitted form and the violations found before the API's checks ran. */
    public record Body(ObjectNode json, List<Violation> violations) {
    }

    /** An empty form. */
    public static FormRow blank() {
        return new FormRow(null, 0, Map.of(), Map.of());
    }

    /** The form of a stored key. */
    public static FormRow of(ApiKeyView key) {
        Map<String, String> values = new HashMap<>();
        values.put("name", key.name());
        values.put("team", orEmpty(key.team()));
        values.put("models", key.models() == null ? "" : String.join(", ", key.models()));
        values.put("expires_at", key.expiresAt() == null ? "" : key.expiresAt().toString());
        policy(values, key.maxBudgetUsd(), key.budgetPeriod(), key.requestsPerMinute(), key.tokensPerMinute(),
                key.metadata());
        return new FormRow(null, 0, values, Map.of());
    }

    /** The form of a stored team. */
    public static FormRow of(TeamView team) {
        Map<String, String> values = new HashMap<>();
        values.put("name", team.name());
        policy(values, team.maxBudgetUsd(), team.budgetPeriod(), team.requestsPerMinute(), team.tokensPerMinute(),
                team.metadata());
        return new FormRow(null, 0, values, Map.of());
    }

    /** The values of a submitted form, as typed, by field. */
    public static FormRow typed(Map<String, List<String>> form, List<String> fields) {
        Map<String, String> values = new HashMap<>();
        for (String field : fields) {
            List<String> list = form.get(field);
            values.put(field, list == null || list.isEmpty() || list.get(0) == null ? "" : list.get(0));
        }
        return new FormRow(null, 0, values, Map.of());
    }

    /** The form again with {@code violations} beside their fields ({@code models[1]} beside {@code models}). */
    public static FormRow withViolations(FormRow form, List<Violation> violations) {
        Map<String, List<Violation>> errors = new LinkedHashMap<>();
        for (Violation violation : violations) {
            errors.computeIfAbsent(fieldOf(violation.field(), form), k -> new ArrayList<>()).add(violation);
        }
        return new FormRow(null, 0, form.values(), errors);
    }

    /**
     * The body of a key or team form.
     *
     * @param fields {@link #KEY_FIELDS} or {@link #TEAM_FIELDS}; a team's {@code name} is sent on create only
     * @param storedMetadata on edit, the stored metadata (keys the form no longer lists are removed); null on create
     */
    public static Body body(FormRow form, List<String> fields, boolean creating, Map<String, String> storedMetadata) {
        List<Violation> violations = new ArrayList<>();
        ObjectNode json = NODES.objectNode();
        for (String field : fields) {
            String value = form.v(field).strip();
            switch (field) {
                case "name" -> {
                    if (creating || fields == KEY_FIELDS) {
                        json.put("name", value); // blank: the API's "required" violation
                    }
                }
                case "models" -> models(json, value, creating);
                case "budget_period" -> {
                    // sent with a budget only: clearing the budget clears its period, and a form always has one
                    if (!value.isEmpty() && !form.v("max_budget_usd").isBlank()) {
                        json.put(field, value);
                    }
                }
                case "requests_per_minute", "tokens_per_minute" -> {
                    if (!value.isEmpty()) {
                        json.set(field, FormSubmission.number(value));
                    } else if (!creating) {
                        json.putNull(field);
                    }
                }
                case "metadata" -> metadata(json, form.v(field), storedMetadata, violations);
                default -> {
                    if (!value.isEmpty()) {
                        json.put(field, value);
                    } else if (!creating) {
                        json.putNull(field);
                    }
                }
            }
        }
        return new Body(json, violations);
    }

    /** The body of the rotation form: {@code grace_seconds} as typed (blank: 0). */
    public static ObjectNode rotation(String grace) {
        ObjectNode json = NODES.objectNode();
        if (grace != null && !grace.isBlank()) {
            json.set(GRACE, FormSubmission.number(grace));
        }
        return json;
    }

    private static void models(ObjectNode json, String value, boolean creating) {
        if (value.isEmpty()) {
            if (!creating) {
                json.putNull("models"); // every model
            }
            return;
        }
        ArrayNode ids = json.putArray("models");
        for (String id : value.split("[,\\s]+")) {
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
    }

    /** One {@code key=value} a line; on edit, stored keys the form no longer lists are removed (null). */
    private static void metadata(ObjectNode json, String text, Map<String, String> stored,
            List<Violation> violations) {
        Map<String, String> typed = new LinkedHashMap<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                violations.add(new Violation("metadata", "line " + (i + 1) + ": write key=value, one a line"));
            } else if (typed.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip()) != null) {
                violations.add(new Violation("metadata", "line " + (i + 1) + ": '" + line.substring(0, eq).strip()
                        + "' is given twice"));
            }
        }
        if (stored == null) {
            if (!typed.isEmpty()) {
                ObjectNode object = json.putObject("metadata");
                typed.forEach(object::put);
            }
            return;
        }
        if (typed.isEmpty()) {
            if (!stored.isEmpty()) {
                json.putNull("metadata");
            }
            return;
        }
        ObjectNode object = json.putObject("metadata");
        stored.keySet().stream().filter(k -> !typed.containsKey(k)).forEach(object::putNull);
        typed.forEach(object::put);
    }

    private static void policy(Map<String, String> values, BigDecimal budget, String period, Integer requests,
            Integer tokens, Map<String, String> metadata) {
        values.put("max_budget_usd", budget == null ? "" : budget.toPlainString());
        values.put("budget_period", orEmpty(period));
        values.put("requests_per_minute", requests == null ? "" : requests.toString());
        values.put("tokens_per_minute", tokens == null ? "" : tokens.toString());
        StringBuilder lines = new StringBuilder();
        (metadata == null ? Map.<String, String> of() : metadata)
                .forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        values.put("metadata", lines.toString());
    }

    /** The form field a violation's path belongs to: {@code models[0]} → models, {@code metadata.owner} → metadata. */
    private static String fieldOf(String path, FormRow form) {
        if (path == null) {
            return "";
        }
        int end = path.length();
        for (char stop : new char[] { '[', '.' }) {
            int at = path.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String field = path.substring(0, end);
        return form.values().containsKey(field) || field.equals(GRACE) ? field : "";
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
