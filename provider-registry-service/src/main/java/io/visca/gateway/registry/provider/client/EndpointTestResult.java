package io.visca.gateway.registry.provider.client;

import java.util.List;

/**
 * How one endpoint answered. Never contains a secret nor an upstream body (model ids and reasons are bounded and
 * cleaned).
 *
 * @param ok reachable, and neither the model listing, the chat check nor the health check failed
 * @param reachable the endpoint answered HTTP (any status) to at least one request
 * @param httpStatus status of the first request (model listing, or the reachability request)
 * @param latencyMs time to the response of the first request
 * @param models the model ids the endpoint reports; null when the type has no listing or it failed
 * @param modelsNote why there is no listing, when the type has none
 * @param chat the one-token chat check; null when it was not attempted (see {@code chatNote})
 * @param healthCheck the health check as the health monitor makes it; null when it was not made (see
 *        {@code healthCheckNote})
 * @param reason on failure: {@code dns}, {@code refused}, {@code tls}, {@code auth}, {@code timeout},
 *        {@code unexpected_body}, {@code http_error}, {@code network}, {@code missing_secret} (a
 *        {@code ${NAME}} not set for this service), or {@code forbidden_secret} (a {@code ${NAME}} this service refuses
 *        to resolve: a name of the gateway's own settings or outside {@code GATEWAY_SECRET_NAMES}, a value holding one
 *        of its own credentials; nothing is sent), or
 *        {@code refused_by_policy} (the outbound URL policy refuses the address: nothing was sent), or
 *        {@code unknown_type} (a stored provider of a type no package registers: nothing was sent)
 * @param detail a sentence for humans about the failure; of the upstream's own words at most a short sanitized
 *        excerpt
 */
public record EndpointTestResult(String id, String baseUrl, boolean ok, boolean reachable, Integer httpStatus,
        Long latencyMs, List<String> models, String modelsNote, ChatCheckResult chat, String chatNote,
        HealthCheckResult healthCheck, String healthCheckNote, String reason, String detail) {
}
