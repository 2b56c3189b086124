package io.visca.gateway.registry.provider.client;

/**
 * A one-token chat (or generation) sent to the endpoint.
 *
 * @param model the configured model id that was asked (its upstream id was sent)
 * @param reason on failure, as in {@link EndpointTestResult#reason()}
 */
public record ChatCheckResult(boolean ok, String model, Integer httpStatus, Long latencyMs, String reason,
        String detail) {
}
