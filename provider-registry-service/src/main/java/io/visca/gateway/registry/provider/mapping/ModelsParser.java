package io.visca.gateway.registry.provider.mapping;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.registry.json.JsonFields;
import io.visca.gateway.registry.json.Violations;

/**
 * The {@code models} a provider serves: ids unique within the provider, prices exact and not negative. A provider
 * whose type lists its models ({@link ModelDiscoveryRules}) may leave them out (or send none): they are discovered.
 * Entries marked {@code "discovered": true} are what the API shows of discovered models; a PUT that sends them back
 * keeps discovering, so they are skipped here.
 */
final class ModelsParser {

    static final int MAX_MODELS = 1000;
    static final int MAX_CONTEXT_WINDOW = 100_000_000;
    /** Model ids as clients send them: no whitespace or control characters ("meta-llama/Llama-2-70b-hf"). */
    static final Pattern MODEL_ID = Pattern.compile("[\\x21-\\x7E]{1,256}");
    /** Clients ask for {@code "model": "auto"} to let the router choose. */
    static final String RESERVED_ID = "auto";

    private static final Set<String> FIELDS = Set.of("id", "name", "upstream_model", "mode", "context_window",
            "cost_per_1k_input", "cost_per_1k_output", "cost_per_1k_cached_input", "discovered");

    private ModelsParser() {
    }

    static List<ModelConfig> parse(JsonFields document, String type) {
        Violations violations = document.violations();
        List<JsonNode> elements = document.array("models");
        long own = elements == null ? 0 : elements.stream().filter(element -> !discovered(element)).count();
        boolean none = elements == null ? !document.present("models") : own == 0;
        if (none && ModelDiscoveryRules.listable(type)) {
            return List.of();
        }
        if (elements == null) {
            if (!document.present("models")) {
                violations.add("models", required(type));
            }
            return List.of();
        }
        if (own == 0 && type != null) {
            violations.add("models", required(type));
            return List.of();
        }
        if (own == 0 || own > MAX_MODELS) {
            violations.add("models", "must hold from 1 to " + MAX_MODELS + " models");
            return List.of();
        }
        List<ModelConfig> models = new ArrayList<>(elements.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < elements.size(); i++) {
            String path = "models[" + i + "]";
            if (discovered(elements.get(i))) {
                continue;
            }
            JsonFields model = JsonFields.of(elements.get(i), path, violations, FIELDS);
            if (model == null) {
                continue;
            }
            String id = model.requiredString("id");
            if (id != null) {
                if (!MODEL_ID.matcher(id).matches()) {
                    violations.add(path + ".id", "must be 1 to 256 printable characters without spaces");
                } else if (RESERVED_ID.equals(id)) {
                    violations.add(path + ".id", "'auto' is reserved: clients send it to let the router choose");
                } else {
                    Integer first = seen.putIfAbsent(id, i);
                    if (first != null) {
                        violations.add(path + ".id", "duplicate model id '" + id + "' (also models[" + first + "])");
                    }
                }
            }
            String name = model.string("name");
            if (name != null && (name.isBlank() || name.length() > 200)) {
                violations.add(path + ".name", "must be 1 to 200 characters");
            }
            String upstream = model.string("upstream_model");
            if (upstream != null && !MODEL_ID.matcher(upstream).matches()) {
                violations.add(path + ".upstream_model", "must be 1 to 256 printable characters without spaces");
            }
            String mode = model.string("mode");
            if (mode != null && !ModelConfig.MODES.contains(mode)) {
                violations.add(path + ".mode", "unknown mode '" + mode + "'; one of: "
                        + String.join(", ", ModelConfig.MODES));
            }
            if (mode == null && id != null) {
                mode = id.toLowerCase(Locale.ROOT).contains("embed") ? ModelConfig.EMBEDDING : ModelConfig.CHAT;
            }
            Integer contextWindow = model.integer("context_window", 1, MAX_CONTEXT_WINDOW, "tokens");
            BigDecimal input = model.price("cost_per_1k_input");
            BigDecimal output = model.price("cost_per_1k_output");
            BigDecimal cachedInput = model.price("cost_per_1k_cached_input");
            models.add(new ModelConfig(id, name, upstream, mode, contextWindow, input, output, cachedInput));
        }
        return models;
    }

    private static String required(String type) {
        return type == null ? "is required: at least one model"
                : "is required for type " + type + ": it has no model listing to discover them from (types "
                        + String.join(", ", ModelDiscoveryRules.listableTypes())
                        + " may leave models out)";
    }

    /** An entry the API showed as discovered ({@code "discovered": true}): not the operator's, not stored. */
    private static boolean discovered(JsonNode element) {
        return element.path("discovered").isBoolean() && element.path("discovered").booleanValue();
    }
}
