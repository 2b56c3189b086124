package io.visca.gateway.router.proxy;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.GatewayKey;
import io.visca.gateway.contracts.provider.GatewayTeam;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.routing.RoutingPolicy;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.TokenEstimates;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.quota.Admission;
import io.visca.gateway.router.quota.Quotas;
import io.visca.gateway.router.routing.ModelRoute;
import io.visca.gateway.router.routing.RoutingPlan;

/**
 * What a key's policy asks of a request before it is sent: the model must be one the key may use, and a key or team
 * with limits must have room for the request's maximum cost and tokens ({@link Quotas}).
 *
 * <p>
 * The maximum cost is a bound, not a guess: the prompt counts one token per byte of the request body (a token is at
 * least one byte of text), the completion its {@code max_tokens} (or {@code max_completion_tokens}); a budgeted
 * request without either is sent with the configured cap ({@code router.quota.default-max-tokens}), so no answer can
 * cost more than was reserved (images and other non-text input excepted: documented).
 */
final class Governance {

    private Governance() {
    }

    /** @throws GatewayError 403 {@code model_not_allowed} when the key's models list does not name the model */
    static void checkModel(GatewayKey key, String model) {
        List<String> allowed = key.models();
        if (allowed != null && !RoutingPolicy.AUTO.equals(model) && !allowed.contains(model)) {
            throw new GatewayError(Failure.MODEL_NOT_ALLOWED, Failure.MODEL_NOT_ALLOWED.code(), "model",
                    "This API key may not use model '" + model + "'. It may use: " + String.join(", ", allowed)
                            + ".",
                    0);
        }
    }

    /**
     * Gives a request of a budgeted key (or team) that sets no completion cap the configured one, so that its answer
     * cannot cost more than its reservation.
     *
     * @return whether {@code body} was changed (it must then be written again for the upstream)
     */
    static boolean capCompletion(ProxyServices services, GatewayKey key, GatewayTeam team, Operation operation,
            ObjectNode body, RoutingPlan plan) {
        boolean budgeted = key.limits().maxBudgetUsd() != null
                || team != null && team.limits().maxBudgetUsd() != null;
        if (!budgeted || operation == Operation.EMBEDDINGS || TokenEstimates.completionCap(body) > 0) {
            return false;
        }
        body.put(capField(operation, plan), services.config().quota().defaultMaxTokens());
        return true;
    }

    /**
     * Reserves the request's share of its key's and team's limits.
     *
     * @param bodyBytes the size of the request body as received
     * @return the admission; {@link Admission#NONE} at once for a key and team without limits
     */
    static Future<Admission> admit(ProxyServices services, GatewayKey key, GatewayTeam team, Operation operation,
            ObjectNode body, int bodyBytes, RoutingPlan plan) {
        if (!Quotas.limited(key, team)) {
            return Future.succeededFuture(Admission.NONE);
        }
        long completion = 0;
        if (operation != Operation.EMBEDDINGS) {
            completion = TokenEstimates.completionCap(body);
            completion = completion > 0 ? completion : services.config().quota().defaultMaxTokens();
        }
        BigDecimal maxCost = BigDecimal.ZERO;
        for (ModelRoute route : plan.candidates()) {
            ModelConfig model = route.model();
            maxCost = maxCost.max(Quotas.maxCost(model.costPer1kInput(), model.costPer1kOutput(), bodyBytes,
                    completion));
        }
        // the prompt estimate walks the messages: only for a token rate
        boolean tokenRate = key.limits().tokensPerMinute() != null
                || team != null && team.limits().tokensPerMinute() != null;
        long tokens = tokenRate ? TokenEstimates.ofRequest(body) + completion : 0;
        return services.quotas().admit(key, team, maxCost, tokens);
    }

    /**
     * Where the cap goes: OpenAI's own API refuses {@code max_tokens} for its reasoning models and takes
     * {@code max_completion_tokens}; every other OpenAI-compatible server (and every adapter) takes {@code max_tokens}.
     */
    private static String capField(Operation operation, RoutingPlan plan) {
        if (operation == Operation.CHAT) {
            for (ModelRoute route : plan.candidates()) {
                for (EndpointConfig endpoint : route.provider().config().endpoints()) {
                    if (endpoint.baseUrl() != null && endpoint.baseUrl().contains("api.openai.com")) {
                        return "max_completion_tokens";
                    }
                }
            }
        }
        return "max_tokens";
    }
}
