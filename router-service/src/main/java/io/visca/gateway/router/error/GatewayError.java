package io.visca.gateway.router.error;

/**
 * An error the router answers with, in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}. Thrown or
 * passed along anywhere on the request path; {@link OpenAiErrors} writes it. Messages never hold a secret.
 *
 * @param retryAfterSeconds sent as {@code Retry-After} when positive
 * @param retryable whether another attempt (another endpoint or provider) may succeed; the routing issue's fallback
 *        reads it
 */
public final class GatewayError extends RuntimeException {

    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String AUTHENTICATION = "authentication_error";
    public static final String RATE_LIMIT = "rate_limit_error";
    public static final String UPSTREAM = "upstream_error";
    public static final String TIMEOUT = "timeout_error";
    public static final String SERVER = "server_error";

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final long retryAfterSeconds;
    private final boolean retryable;

    public GatewayError(int status, String type, String code, String param, String message, long retryAfterSeconds,
            boolean retryable) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
        this.retryable = retryable;
    }

    public static GatewayError badRequest(String message, String param, String code) {
        return new GatewayError(400, INVALID_REQUEST, code, param, message, 0, false);
    }

    public static GatewayError modelNotFound(String model) {
        return new GatewayError(404, INVALID_REQUEST, "model_not_found", "model",
                "The model '" + model + "' does not exist or no enabled provider serves it.", 0, false);
    }

    public static GatewayError unauthorized(String message) {
        return new GatewayError(401, AUTHENTICATION, "invalid_api_key", null, message, 0, false);
    }

    /**
     * Before the router's first registry snapshot it cannot tell a valid key from an invalid one: a 503 the client
     * retries, never a 401 that would make it give up a good key.
     */
    public static GatewayError starting() {
        return new GatewayError(503, SERVER, "gateway_starting", null,
                "The gateway is starting and has not loaded its configuration yet. Retry in a moment.", 1, true);
    }

    public static GatewayError tooLarge(long limit) {
        return new GatewayError(413, INVALID_REQUEST, "request_too_large", null,
                "The request body is larger than this gateway accepts (" + limit + " bytes).", 0, false);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public boolean retryable() {
        return retryable;
    }
}
