package io.visca.gateway.contracts.routing;

import java.util.Map;

/**
 * The default routing policies the registry keeps ({@code GET/PUT /api/routing}), applied when a request carries no
 * {@code routing} object of its own.
 *
 * @param auto the policy of {@code "model": "auto"}; null means the router's built-in default
 * @param models the policy of a model id; a model not listed gets the router's built-in default
 */
public record RoutingPolicies(RoutingPolicy auto, Map<String, RoutingPolicy> models) {

    public static final RoutingPolicies NONE = new RoutingPolicies(null, Map.of());

    public RoutingPolicies {
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    /** The policy set for {@code model} ({@link RoutingPolicy#AUTO} included), or null when none is. */
    public RoutingPolicy forModel(String model) {
        return RoutingPolicy.AUTO.equals(model) ? auto : models.get(model);
    }
}
