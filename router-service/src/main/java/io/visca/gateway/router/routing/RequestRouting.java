package io.visca.gateway.router.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.contracts.routing.RoutingPolicies;
import io.visca.gateway.contracts.routing.RoutingPolicy;
import io.visca.gateway.router.error.GatewayError;

/**
 * The policy a request is routed by: its own {@code routing} object (sent by the OpenAI SDK through
 * {@code extra_body}), field by field over the registry's default for the model (or for {@code auto}), over the
 * built-in default: {@code priority} for a named model, {@code cost-optimized} for {@code auto}, fallback on.
 */
public final class RequestRouting {

    private static final Set<String> FIELDS = Set.of("strategy", "providers", "fallback", "weights");

    private RequestRouting() {
    }

    /**
     * The request's {@code routing} object, checked: a wrong shape, an unknown strategy or a provider the registry
     * does not know is a 400 naming it. Null when the request has none.
     */
    public static RoutingPolicy parse(JsonNode routing, RoutingTable table) {
        if (routing == null || routing.isNull()) {
            return null;
        }
        if (!routing.isObject()) {
            throw invalid("routing", "'routing' must be an object with strategy, providers and fallback.");
        }
        routing.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw invalid("routing." + field, "Unknown field 'routing." + field + "'; routing takes "
                        + String.join(", ", List.of("strategy", "providers", "fallback", "weights")) + ".");
            }
        });
        String strategy = null;
        JsonNode strategyNode = routing.get("strategy");
        if (strategyNode != null && !strategyNode.isNull()) {
            if (!strategyNode.isTextual() || !RoutingPolicy.STRATEGIES.contains(strategyNode.asText())) {
                throw invalid("routing.strategy", "Unknown routing strategy '" + strategyNode.asText()
                        + "'; use one of " + String.join(", ", RoutingPolicy.STRATEGIES) + ".");
            }
            strategy = strategyNode.asText();
        }
        List<String> providers = providers(routing.get("providers"), table);
        Boolean fallback = null;
        JsonNode fallbackNode = routing.get("fallback");
        if (fallbackNode != null && !fallbackNode.isNull()) {
            if (!fallbackNode.isBoolean()) {
                throw invalid("routing.fallback", "'routing.fallback' must be true or false.");
            }
            fallback = fallbackNode.asBoolean();
        }
        return new RoutingPolicy(strategy, providers, fallback, weights(routing.get("weights"), table));
    }

    private static List<String> providers(JsonNode node, RoutingTable table) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("routing.providers", "'routing.providers' must be an array of provider names.");
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw invalid("routing.providers", "'routing.providers' must hold provider names (strings).");
            }
            String name = item.asText();
            if (table.provider(name) == null) {
                throw invalid("routing.providers", "Unknown provider '" + name + "' in routing.providers.");
            }
            if (seen.add(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static Map<String, Integer> weights(JsonNode node, RoutingTable table) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid("routing.weights", "'routing.weights' must map provider names to positive integers.");
        }
        Map<String, Integer> weights = new LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> {
            if (table.provider(entry.getKey()) == null) {
                throw invalid("routing.weights", "Unknown provider '" + entry.getKey() + "' in routing.weights.");
            }
            if (!entry.getValue().canConvertToInt() || !entry.getValue().isIntegralNumber()
                    || entry.getValue().asInt() <= 0) {
                throw invalid("routing.weights", "routing.weights." + entry.getKey() + " must be a positive integer.");
            }
            weights.put(entry.getKey(), entry.getValue().asInt());
        });
        return weights;
    }

    /** The policy in force: the request's fields, then the registry's default for the model, then the built-in. */
    public static RoutingPolicy effective(RoutingPolicy request, String model, RoutingPolicies defaults) {
        RoutingPolicy configured = defaults.forModel(model);
        String strategy = first(request == null ? null : request.strategy(),
                configured == null ? null : configured.strategy(),
                RoutingPolicy.AUTO.equals(model) ? RoutingPolicy.COST_OPTIMIZED : RoutingPolicy.PRIORITY);
        List<String> providers = request != null && !request.providers().isEmpty() ? request.providers()
                : configured == null ? List.of() : configured.providers();
        Boolean fallback = first(request == null ? null : request.fallback(),
                configured == null ? null : configured.fallback(), Boolean.TRUE);
        Map<String, Integer> weights = request != null && !request.weights().isEmpty() ? request.weights()
                : configured == null ? Map.of() : configured.weights();
        return new RoutingPolicy(strategy, providers, fallback, weights);
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static GatewayError invalid(String param, String message) {
        return GatewayError.badRequest(message, param, "invalid_routing");
    }
}
