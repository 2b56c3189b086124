package io.visca.gateway.router.error;

/**
 * An error the router answers with, in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}. Thrown or
 * passed along anywhere on the request path; {@link OpenAiErrors} writes it. Messages never hold a secret. Its
 * {@link Failure} decides its status, type and whether routing moves on to another attempt.
 *
 * @param retryAfterSeconds sent as {@code Retry-After} when positive
 */
public final class GatewayError extends RuntimeException {

    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String AUTHENTICATION = "authentication_error";
    public static final String RATE_LIMIT = "rate_limit_error";
    public static final String PERMISSION = "permission_error";
    /** OpenAI's type for a spending limit reached. */
    public static final String INSUFFICIENT_QUOTA = "insufficient_quota";
    public static final String UPSTREAM = "upstream_error";
    public static final String TIMEOUT = "timeout_error";
    public static final String SERVER = "server_error";

    private final Failure failure;
    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final long retryAfterSeconds;

    /** A failure of {@code failure}'s kind, with its code. */
    public GatewayError(Failure failure, String message) {
        this(failure, failure.code(), null, message, 0);
    }

    /** A failure of {@code failure}'s kind, with its code and a {@code Retry-After}. */
    public GatewayError(Failure failure, String message, long retryAfterSeconds) {
        this(failure, failure.code(), null, message, retryAfterSeconds);
    }

    /**
     * @param code the error code: {@code failure.code()}, or the one this error carries where the kind has none
     *        ({@link Failure#BAD_REQUEST}'s, {@code upstream_http_<status>})
     */
    public GatewayError(Failure failure, String code, String param, String message, long retryAfterSeconds) {
        this(failure, failure.status(), failure.type(), code, param, message, retryAfterSeconds);
    }

    private GatewayError(Failure failure, int status, String type, String code, String param, String message,
            long retryAfterSeconds) {
        super(message, null, false, false);
        this.failure = failure;
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static GatewayError badRequest(String message, String param, String code) {
        return new GatewayError(Failure.BAD_REQUEST, code, param, message, 0);
    }

    public static GatewayError modelNotFound(String model) {
        return new GatewayError(Failure.MODEL_NOT_FOUND, Failure.MODEL_NOT_FOUND.code(), "model",
                "The model '" + model + "' does not exist or no enabled provider serves it.", 0);
    }

    public static GatewayError unauthorized(String message) {
        return new GatewayError(Failure.INVALID_API_KEY, message);
    }

    /**
     * Before the router's first registry snapshot it cannot tell a valid key from an invalid one: a 503 the client
     * retries, never a 401 that would make it give up a good key.
     */
    public static GatewayError starting() {
        return new GatewayError(Failure.GATEWAY_STARTING,
                "The gateway is starting and has not loaded its configuration yet. Retry in a moment.", 1);
    }

    public static GatewayError tooLarge(long limit) {
        return new GatewayError(Failure.REQUEST_TOO_LARGE,
                "The request body is larger than this gateway accepts (" + limit + " bytes).");
    }

    /**
     * A request Vert.x's routing failed with {@code status} (a 4xx it set, else 500): the status as it is, without a
     * code.
     */
    public static GatewayError routingFailed(int status, String message) {
        Failure failure = status == 500 ? Failure.INTERNAL_ERROR : Failure.BAD_REQUEST;
        return new GatewayError(failure, status, failure.type(), null, null, message, 0);
    }

    /** The kind of failure, which decides whether routing moves on ({@link Failure#next()}). */
    public Failure failure() {
        return failure;
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

    /** Whether another attempt of the same request may succeed ({@link Failure#retryable()}). */
    public boolean retryable() {
        return failure.retryable();
    }
}
