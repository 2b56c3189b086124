package io.visca.gateway.registry.routing.mapping;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.contracts.routing.RoutingPolicies;
import io.visca.gateway.contracts.routing.RoutingPolicy;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.registry.json.JsonFields;
import io.visca.gateway.registry.json.Violations;
import io.visca.gateway.registry.provider.mapping.ProviderDocumentParser;

/**
 * Reads routing policy documents ({@code {"auto": {...}, "models": {"<model id>": {...}}}}) and single policies,
 * reporting every violation at once by field path ({@code models.gpt-4o.providers[1]}), each naming the bad value.
 * A policy may only name providers that are in the registry, unless it is unchanged from the stored one: a
 * provider deleted after a policy named it does not make the policy unsaveable as it is (GET, modify, PUT), while
 * any policy that changes must name existing providers only.
 */
public final class RoutingPolicyParser {

    /** Upper bound of a weight: far above any endpoint weight sum (64 endpoints of at most 10000). */
    public static final int MAX_WEIGHT = 1_000_000;

    private static final Set<String> DOCUMENT_FIELDS = Set.of("auto", "models");
    private static final Set<String> POLICY_FIELDS = Set.of("strategy", "providers", "fallback", "weights");
    private static final int MAX_SHOWN = 80;

    private final Set<String> providers;
    private final Map<String, RoutingPolicy> stored;

    /**
     * @param providers the name of every provider in the registry now
     * @param stored the stored policies by key (model id, or {@link RoutingMapper#AUTO_KEY})
     */
    public RoutingPolicyParser(Set<String> providers, Map<String, RoutingPolicy> stored) {
        this.providers = providers;
        this.stored = stored;
    }

    /**
     * The whole document: a missing {@code auto} means no policy for {@code auto}, missing {@code models} none for
     * any model.
     *
     * @throws ApiException 400 listing every violation
     */
    public RoutingPolicies document(JsonNode root) {
        Violations violations = new Violations();
        JsonFields fields = JsonFields.of(root, "", violations, DOCUMENT_FIELDS);
        if (fields == null) {
            violations.throwIfAny();
        }
        RoutingPolicy auto = null;
        JsonNode autoNode = fields.raw("auto");
        if (autoNode != null) {
            auto = policy(autoNode, "auto", RoutingMapper.AUTO_KEY, violations);
        }
        Map<String, RoutingPolicy> models = new LinkedHashMap<>();
        JsonNode modelsNode = fields.raw("models");
        if (modelsNode != null && !modelsNode.isObject()) {
            violations.add("models", "must be a JSON object of model id to policy, got " + shown(modelsNode));
        } else if (modelsNode != null) {
            Iterator<Map.Entry<String, JsonNode>> entries = modelsNode.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                String model = entry.getKey();
                String problem = modelIdProblem(model);
                if (problem != null) {
                    violations.add("models", problem);
                    continue;
                }
                RoutingPolicy policy = policy(entry.getValue(), "models." + model, model, violations);
                if (policy != null) {
                    models.put(model, policy);
                }
            }
        }
        violations.throwIfAny();
        return new RoutingPolicies(auto, models);
    }

    /**
     * One policy, the whole body, for {@code key} (a model id, or {@link RoutingMapper#AUTO_KEY}).
     *
     * @throws ApiException 400 listing every violation
     */
    public RoutingPolicy policy(JsonNode root, String key) {
        Violations violations = new Violations();
        RoutingPolicy policy = policy(root, "", key, violations);
        violations.throwIfAny();
        return policy;
    }

    /**
     * What is wrong with {@code model} as the key of a model's policy, or null when nothing is. It need not be
     * served by any provider now.
     */
    public static String modelIdProblem(String model) {
        if (model.isBlank()) {
            return "model id '" + cut(model) + "' is blank; a model's policy needs its model id";
        }
        if (RoutingPolicy.AUTO.equals(model)) {
            return "'auto' is not a model id: its policy is the top-level 'auto' field (/api/routing/auto)";
        }
        if (!ProviderDocumentParser.MODEL_ID.matcher(model).matches()) {
            return "model id '" + cut(model) + "' must be 1 to 256 printable ASCII characters without spaces";
        }
        return null;
    }

    private RoutingPolicy policy(JsonNode node, String path, String key, Violations violations) {
        JsonFields fields = JsonFields.of(node, path, violations, POLICY_FIELDS);
        if (fields == null) {
            return null;
        }
        int before = violations.list().size();
        List<Reference> references = new ArrayList<>();
        String strategy = strategy(fields);
        List<String> names = providers(fields, references);
        Boolean fallback = fallback(fields);
        Map<String, Integer> weights = weights(fields, references);
        RoutingPolicy policy = new RoutingPolicy(strategy, names, fallback, weights);
        boolean unchanged = violations.list().size() == before && policy.equals(stored.get(key));
        if (!unchanged) {
            for (Reference reference : references) {
                if (!providers.contains(reference.name())) {
                    violations.add(reference.path(), "unknown provider '" + cut(reference.name())
                            + "': no provider of that name is in the registry");
                }
            }
        }
        return policy;
    }

    private static String strategy(JsonFields fields) {
        JsonNode value = fields.raw("strategy");
        if (value == null) {
            return null;
        }
        if (value.isTextual() && RoutingPolicy.STRATEGIES.contains(value.textValue())) {
            return value.textValue();
        }
        fields.violations().add(fields.path("strategy"), "unknown strategy " + shown(value) + "; valid strategies: "
                + String.join(", ", RoutingPolicy.STRATEGIES) + " (or leave it out for the router's default)");
        return null;
    }

    private static List<String> providers(JsonFields fields, List<Reference> references) {
        JsonNode value = fields.raw("providers");
        List<String> names = new ArrayList<>();
        if (value == null) {
            return names;
        }
        String path = fields.path("providers");
        if (!value.isArray()) {
            fields.violations().add(path, "must be a JSON array of provider names in priority order, got "
                    + shown(value));
            return names;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            String at = path + "[" + i + "]";
            if (!element.isTextual() || element.textValue().isBlank()) {
                fields.violations().add(at, "must be a provider name, got " + shown(element));
                continue;
            }
            String name = element.textValue();
            Integer first = seen.putIfAbsent(name, i);
            if (first != null) {
                fields.violations().add(at, "duplicate provider '" + cut(name) + "' (also " + path + "[" + first
                        + "])");
                continue;
            }
            names.add(name);
            references.add(new Reference(at, name));
        }
        return names;
    }

    private static Boolean fallback(JsonFields fields) {
        JsonNode value = fields.raw("fallback");
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            fields.violations().add(fields.path("fallback"), "must be true or false, got " + shown(value));
            return null;
        }
        return value.booleanValue();
    }

    private static Map<String, Integer> weights(JsonFields fields, List<Reference> references) {
        JsonNode value = fields.raw("weights");
        Map<String, Integer> weights = new LinkedHashMap<>();
        if (value == null) {
            return weights;
        }
        String path = fields.path("weights");
        if (!value.isObject()) {
            fields.violations().add(path, "must be a JSON object of provider name to weight, got " + shown(value));
            return weights;
        }
        Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String at = path + "." + entry.getKey();
            Integer weight = weight(entry.getValue());
            if (weight == null) {
                fields.violations().add(at, "must be a positive integer from 1 to " + MAX_WEIGHT + " (share of "
                        + "traffic), got " + shown(entry.getValue()));
            } else {
                weights.put(entry.getKey(), weight);
            }
            references.add(new Reference(at, entry.getKey()));
        }
        return weights;
    }

    private static Integer weight(JsonNode value) {
        if (!value.isNumber()) {
            return null;
        }
        BigDecimal number = value.decimalValue();
        boolean whole = number.signum() == 0 || number.stripTrailingZeros().scale() <= 0;
        if (!whole || number.compareTo(BigDecimal.ONE) < 0 || number.compareTo(BigDecimal.valueOf(MAX_WEIGHT)) > 0) {
            return null;
        }
        return number.intValueExact();
    }

    /** A JSON value as a message shows it: strings in single quotes, anything else as JSON; long ones cut. */
    private static String shown(JsonNode value) {
        return value.isTextual() ? "'" + cut(value.textValue()) + "'" : cut(value.toString());
    }

    private static String cut(String text) {
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }

    /** A provider name at a field path, checked against the registry once the policy is read. */
    private record Reference(String path, String name) {
    }
}
