package io.visca.gateway.router.routing;

import java.util.ArrayList;
import java.util.List;

import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.routing.RoutingPolicy;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.GatewayError;

/** The answers of {@link RoutingPlanner} when no candidate is left, by why. */
final class NoCandidateErrors {

    private NoCandidateErrors() {
    }

    /**
     * No enabled provider serves it: 404 {@code model_not_found}, as {@code /v1/models} does not list it either, saying
     * which providers list it but are disabled (or cannot be served).
     */
    static GatewayError notServed(RoutingTable table, String model) {
        List<String> listed = new ArrayList<>();
        for (ProviderConfig provider : table.providersServing(model)) {
            listed.add("provider '" + provider.name() + "' " + (provider.enabled() ? "cannot be served (see the "
                    + "router's log)" : "is disabled"));
        }
        GatewayError notFound = GatewayError.modelNotFound(model);
        return listed.isEmpty() ? notFound
                : new GatewayError(Failure.MODEL_NOT_FOUND, notFound.code(), notFound.param(),
                        "The model '" + model + "' has no enabled provider: " + String.join("; ", listed) + ".", 0);
    }

    /**
     * No provider of the model is in the allow-list. The client's own {@code routing.providers} is its mistake (400,
     * naming the providers that do serve it); the registry's default policy for the model is the operator's (503).
     */
    static GatewayError outsideAllowList(RoutingTable table, String model, List<ModelRoute> routes,
            RoutingPolicy policy) {
        RoutingPolicy configured = table.policies().forModel(model);
        if (configured != null && configured.providers().equals(policy.providers())) {
            return noCandidate(model, List.of("none of routing.providers " + policy.providers() + " serves it"), 0);
        }
        List<String> serving = new ArrayList<>();
        routes.forEach(route -> {
            if (!serving.contains(route.provider().name())) {
                serving.add(route.provider().name());
            }
        });
        return GatewayError.badRequest("None of routing.providers " + policy.providers() + " serves model '" + model
                + "'; it is served by " + serving + ".", "routing.providers", "invalid_routing");
    }

    /** {@code auto} for a key whose models list names no served model of the operation's mode: 403. */
    static GatewayError noAllowedModel(List<String> allowed, String mode) {
        return new GatewayError(Failure.MODEL_NOT_ALLOWED, Failure.MODEL_NOT_ALLOWED.code(), "model",
                "Model 'auto' routes only among the models this key may use (" + String.join(", ", allowed)
                        + "), and no enabled provider serves one of them as a " + mode + " model.",
                0);
    }

    static GatewayError noCandidate(String model, List<String> reasons, long retryAfter) {
        return new GatewayError(Failure.NO_AVAILABLE_PROVIDER, Failure.NO_AVAILABLE_PROVIDER.code(), "model",
                "No provider can serve model '" + model + "' now: " + String.join("; ", reasons) + ".", retryAfter);
    }
}
