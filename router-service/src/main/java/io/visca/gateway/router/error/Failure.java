package io.visca.gateway.router.error;

import static io.visca.gateway.router.error.Failure.Next.FINAL;
import static io.visca.gateway.router.error.Failure.Next.NEXT_PROVIDER;
import static io.visca.gateway.router.error.Failure.Next.RATE_LIMITED;
import static io.visca.gateway.router.error.Failure.Next.RETRY;

/**
 * Every kind of failure the router answers with, and the one table that decides what each means for routing: its
 * status, OpenAI error type and code, and whether another attempt is made ({@link Next}). Nothing else decides
 * whether a failure moves on to the next endpoint or provider: adapters and the request path name the kind
 * ({@code new GatewayError(Failure.UPSTREAM_TIMEOUT, ...)}), the attempt loop and the circuit breakers read
 * {@link #next()}.
 */
public enum Failure {

    // the client's mistakes and the gateway's own answers, decided before or instead of an attempt
    BAD_REQUEST(400, GatewayError.INVALID_REQUEST, null, FINAL),
    MODEL_NOT_FOUND(404, GatewayError.INVALID_REQUEST, "model_not_found", FINAL),
    UNKNOWN_URL(404, GatewayError.INVALID_REQUEST, "unknown_url", FINAL),
    INVALID_API_KEY(401, GatewayError.AUTHENTICATION, "invalid_api_key", FINAL),
    /** The key is known but its {@code expires_at} has passed. */
    KEY_EXPIRED(401, GatewayError.AUTHENTICATION, "key_expired", FINAL),
    /** The key's {@code models} list does not name the requested model. */
    MODEL_NOT_ALLOWED(403, GatewayError.PERMISSION, "model_not_allowed", FINAL),
    /** The key's or its team's budget has no room for the request's maximum cost in this period. */
    BUDGET_EXCEEDED(429, GatewayError.INSUFFICIENT_QUOTA, "budget_exceeded", FINAL),
    /** The key's or its team's requests or tokens per minute are used up until the minute ends. */
    KEY_RATE_LIMITED(429, GatewayError.RATE_LIMIT, "rate_limit_exceeded", FINAL),
    /** The quota store could not be asked and the key's leased quota is used up: fail closed. */
    QUOTA_UNAVAILABLE(503, GatewayError.SERVER, "quota_store_unavailable", FINAL),
    REQUEST_TOO_LARGE(413, GatewayError.INVALID_REQUEST, "request_too_large", FINAL),
    CLIENT_CLOSED(499, GatewayError.INVALID_REQUEST, "client_closed", FINAL),
    INTERNAL_ERROR(500, GatewayError.SERVER, "internal_error", FINAL),
    NO_AVAILABLE_PROVIDER(503, GatewayError.SERVER, "no_available_provider", FINAL),
    /** Before the first registry snapshot: the client retries (never a 401 for a key that may be valid). */
    GATEWAY_STARTING(503, GatewayError.SERVER, "gateway_starting", RETRY),
    /** Every provider of the model is rate limiting the gateway (the planner's answer), or one upstream said 429. */
    RATE_LIMIT_EXCEEDED(429, GatewayError.RATE_LIMIT, "rate_limit_exceeded", RATE_LIMITED),

    // a provider that cannot be called now: the next candidate may do
    PROVIDER_MISCONFIGURED(502, GatewayError.UPSTREAM, "provider_misconfigured", RETRY),
    PROVIDER_RATE_LIMITED(503, GatewayError.SERVER, "provider_rate_limited", NEXT_PROVIDER),
    NO_AVAILABLE_ENDPOINT(503, GatewayError.SERVER, "no_available_endpoint", NEXT_PROVIDER),
    CIRCUIT_OPEN(503, GatewayError.SERVER, "circuit_open", NEXT_PROVIDER),
    /** The outbound URL policy refused the endpoint's address (or a token URL): the same address is refused again. */
    ENDPOINT_REFUSED(502, GatewayError.UPSTREAM, "endpoint_refused_by_policy", NEXT_PROVIDER),
    /** The upstream handed back a URL to follow that is off the endpoint's origin: nothing is sent there. */
    FOREIGN_URL(502, GatewayError.UPSTREAM, "upstream_foreign_url", NEXT_PROVIDER),
    /** The gateway could not get credentials for the call (an OAuth2 token request failed). */
    CREDENTIALS_UNAVAILABLE(502, GatewayError.UPSTREAM, "upstream_auth_failed", RETRY),

    // the upstream's answers
    UPSTREAM_REJECTED_REQUEST(400, GatewayError.INVALID_REQUEST, "upstream_rejected_request", FINAL),
    /** The upstream refused the gateway's credentials (401/403): another attempt would be refused too. */
    UPSTREAM_AUTH_REJECTED(502, GatewayError.UPSTREAM, "upstream_auth_failed", FINAL),
    UPSTREAM_NOT_FOUND(502, GatewayError.UPSTREAM, "upstream_not_found", FINAL),
    /** An HTTP status without a meaning of its own below 500 (its code is {@code upstream_http_<status>}). */
    UPSTREAM_HTTP_STATUS(502, GatewayError.UPSTREAM, null, FINAL),
    /** A 5xx without a meaning of its own (its code is {@code upstream_http_<status>}). */
    UPSTREAM_SERVER_ERROR(502, GatewayError.UPSTREAM, null, RETRY),
    UPSTREAM_OVERLOADED(502, GatewayError.UPSTREAM, "upstream_overloaded", RETRY),
    UPSTREAM_TIMEOUT(504, GatewayError.TIMEOUT, "upstream_timeout", RETRY),
    UPSTREAM_UNREACHABLE(502, GatewayError.UPSTREAM, "upstream_unreachable", RETRY),
    UPSTREAM_TLS_ERROR(502, GatewayError.UPSTREAM, "upstream_tls_error", RETRY),
    UPSTREAM_CONNECTION_CLOSED(502, GatewayError.UPSTREAM, "upstream_connection_closed", RETRY),
    UPSTREAM_ERROR(502, GatewayError.UPSTREAM, "upstream_error", RETRY),
    /** A failure the upstream reported without an error status (a failed prediction, an error event in a stream). */
    UPSTREAM_FAILED(502, GatewayError.UPSTREAM, "upstream_failed", RETRY),
    UPSTREAM_EVENT_TOO_LARGE(502, GatewayError.UPSTREAM, "upstream_event_too_large", RETRY),
    UPSTREAM_BAD_RESPONSE(502, GatewayError.UPSTREAM, "upstream_bad_response", RETRY),

    // a custom provider's jq transforms
    TRANSFORM_FAILED(502, GatewayError.UPSTREAM, "transform_failed", FINAL),
    TRANSFORM_BOUND_EXCEEDED(502, GatewayError.UPSTREAM, "transform_bound_exceeded", FINAL),
    TRANSFORM_BUSY(503, GatewayError.SERVER, "transform_busy", RETRY);

    /** What the router does after a failure of this kind. */
    public enum Next {
        /** Another endpoint or provider may succeed, and this endpoint failed (its breaker and health count it). */
        RETRY,
        /** Another endpoint or provider may succeed; this one is not broken, only limiting the gateway. */
        RATE_LIMITED,
        /** This provider cannot be called now, without fault of its endpoint: the next candidate may do. */
        NEXT_PROVIDER,
        /** The answer goes to the client as it is: a client mistake, or one no other attempt would change. */
        FINAL
    }

    private final int status;
    private final String type;
    private final String code;
    private final Next next;

    Failure(int status, String type, String code, Next next) {
        this.status = status;
        this.type = type;
        this.code = code;
        this.next = next;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** The error code; null where it is given with each error ({@link #BAD_REQUEST}, the {@code upstream_http_*}). */
    public String code() {
        return code;
    }

    public Next next() {
        return next;
    }

    /** Whether the attempt loop goes on to the next endpoint or provider. */
    public boolean movesOn() {
        return next != FINAL;
    }

    /** Whether another attempt of the same request may succeed although this one failed (retry or rate limit). */
    public boolean retryable() {
        return next == RETRY || next == RATE_LIMITED;
    }

    /** Whether the endpoint failed: its circuit breaker and passive health count it. */
    public boolean endpointFault() {
        return next == RETRY;
    }
}
