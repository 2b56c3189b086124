package io.visca.gateway.contracts.routing;

import java.util.List;
import java.util.Map;

/**
 * How the router picks among the providers that serve a model: the {@code routing} object of a request (the OpenAI
 * SDK sends it through {@code extra_body}), or a default the registry keeps per model id and for {@code auto}.
 *
 * @param strategy one of {@link #STRATEGIES}; null means the router's default for the request
 * @param providers allow-list of provider names, in priority order; empty means every provider that serves the model
 * @param fallback whether a failed attempt moves on to the next candidate; null means the default (true)
 * @param weights share of traffic per provider for {@code weighted}; a provider not listed weighs the sum of its
 *        endpoints' weights
 */
public record RoutingPolicy(String strategy, List<String> providers, Boolean fallback, Map<String, Integer> weights) {

    public static final String COST_OPTIMIZED = "cost-optimized";
    public static final String LATENCY_OPTIMIZED = "latency-optimized";
    public static final String WEIGHTED = "weighted";
    public static final String ROUND_ROBIN = "round-robin";
    public static final String PRIORITY = "priority";
    public static final String LEAST_BUSY = "least-busy";
    public static final List<String> STRATEGIES = List.of(COST_OPTIMIZED, LATENCY_OPTIMIZED, WEIGHTED, ROUND_ROBIN,
            PRIORITY, LEAST_BUSY);

    /** The model id that lets the router choose among every routable model. */
    public static final String AUTO = "auto";

    public RoutingPolicy {
        providers = providers == null ? List.of() : List.copyOf(providers);
        weights = weights == null ? Map.of() : Map.copyOf(weights);
    }
}
